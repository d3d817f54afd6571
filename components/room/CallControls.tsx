"use client";

import { CameraIcon, ChatIcon, FlagIcon, MicIcon, PhoneIcon, SwapIcon } from "./icons";
import styles from "./room.module.css";

type Props = {
  audio: boolean;
  video: boolean;
  /** A second camera to swap to: the Swap camera button shows. */
  canSwapCamera: boolean;
  chatOpen: boolean;
  chatUnread: number;
  /** Chat and Report issue need the joined room. */
  joined: boolean;
  onToggleAudio(): void;
  onToggleVideo(): void;
  onSwapCamera(): void;
  onToggleChat(): void;
  onReport(): void;
  onEnd(): void;
};

/** The seed's call controls: mute, disable video, swap camera, chat, report an issue, end call. */
export function CallControls({ audio, video, canSwapCamera, chatOpen, chatUnread, joined, onToggleAudio, onToggleVideo, onSwapCamera, onToggleChat, onReport, onEnd }: Props) {
  return (
    <nav className={styles.controls} aria-label="Call controls">
      <button type="button" className={styles.control} onClick={onToggleAudio} aria-pressed={!audio} data-testid="toggle-audio">
        <MicIcon off={!audio} />
        <span>{audio ? "Mute" : "Unmute"}</span>
      </button>
      <button type="button" className={styles.control} onClick={onToggleVideo} aria-pressed={!video} data-testid="toggle-video">
        <CameraIcon off={!video} />
        <span>{video ? "Stop video" : "Start video"}</span>
      </button>
      {canSwapCamera ? (
        <button type="button" className={styles.control} onClick={onSwapCamera} data-testid="swap-camera">
          <SwapIcon />
          <span>Swap camera</span>
        </button>
      ) : null}
      <button
        type="button"
        className={styles.control}
        onClick={onToggleChat}
        aria-pressed={chatOpen}
        aria-label={chatUnread > 0 ? `Chat, ${chatUnread} unread` : "Chat"}
        data-testid="toggle-chat"
        disabled={!joined}
      >
        <ChatIcon />
        <span>Chat</span>
        {chatUnread > 0 ? (
          <span className={styles.badge} data-testid="chat-unread" aria-hidden="true">
            {chatUnread > 99 ? "99+" : chatUnread}
          </span>
        ) : null}
      </button>
      <button type="button" className={styles.control} onClick={onReport} data-testid="report-issue" disabled={!joined}>
        <FlagIcon />
        <span>Report issue</span>
      </button>
      <span className={styles.spacer} />
      <button type="button" className={`${styles.control} ${styles.endControl}`} onClick={onEnd} data-testid="end-call">
        <PhoneIcon />
        <span>End call</span>
      </button>
    </nav>
  );
}
