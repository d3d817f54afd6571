import { LinkProblem } from "@/components/room/LinkProblem";

export default function JoinLinkNotFound() {
  return <LinkProblem kind="unknown" />;
}
