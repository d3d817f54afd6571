import { ChatLinkProblem } from "@/components/chat/ChatLinkProblem";

export default function ChatLinkNotFound() {
  return <ChatLinkProblem kind="unknown" />;
}
