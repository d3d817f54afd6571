"use client";

import { useTranslations } from "next-intl";
import { BackgroundIcon, CameraIcon, ChatIcon, FlagIcon, MicIcon, PhoneIcon, SwapIcon } from "./icons";
import styles from "./room.module.css";

type Props = {
  audio: boolean;
  video: boolean;
  /** A second camera to swap to: the Swap camera button shows. */
  canSwapCamera: boolean;
  /** A swap is under way (the button waits for it). */
  swapping: boolean;
  /** The browser can blur or replace the background: the Background button shows. */
  canChangeBackground: boolean;
  /** A background effect is on. */
  background: boolean;
  chatOpen: boolean;
  chatUnread: number;
  /** Chat and Report issue need the joined room. */
  joined: boolean;
  onToggleAudio(): void;
  onToggleVideo(): void;
  onSwapCamera(): void;
  onBackground(): void;
  onToggleChat(): void;
  onReport(): void;
  onEnd(): void;
};

/** The seed's call controls: mute, disable video, swap camera, chat, report an issue, end call; and the background. */
export function CallControls(props: Props) {
  const { audio, video, canSwapCamera, swapping, canChangeBackground, background, chatOpen, chatUnread, joined } = props;
  const { onToggleAudio, onToggleVideo, onSwapCamera, onBackground, onToggleChat, onReport, onEnd } = props;
  const t = useTranslations("Call.controls");
  return (
    <nav className={styles.controls} aria-label={t("label")}>
      <button type="button" className={styles.control} onClick={onToggleAudio} aria-pressed={!audio} data-testid="toggle-audio">
        <MicIcon off={!audio} />
        <span>{audio ? t("mute") : t("unmute")}</span>
      </button>
      <button type="button" className={styles.control} onClick={onToggleVideo} aria-pressed={!video} data-testid="toggle-video">
        <CameraIcon off={!video} />
        <span>{video ? t("stopVideo") : t("startVideo")}</span>
      </button>
      {canSwapCamera ? (
        <button type="button" className={styles.control} onClick={onSwapCamera} disabled={swapping} aria-busy={swapping} data-testid="swap-camera">
          <SwapIcon />
          <span>{t("swapCamera")}</span>
        </button>
      ) : null}
      {canChangeBackground ? (
        <button type="button" className={styles.control} onClick={onBackground} aria-haspopup="dialog" data-testid="change-background" data-background-on={background}>
          <BackgroundIcon />
          <span>{t("background")}</span>
        </button>
      ) : null}
      <button
        type="button"
        className={styles.control}
        onClick={onToggleChat}
        aria-pressed={chatOpen}
        aria-label={chatUnread > 0 ? t("chatUnread", { count: chatUnread }) : t("chat")}
        data-testid="toggle-chat"
        disabled={!joined}
      >
        <ChatIcon />
        <span>{t("chat")}</span>
        {chatUnread > 0 ? (
          <span className={styles.badge} data-testid="chat-unread" aria-hidden="true">
            {chatUnread > 99 ? "99+" : chatUnread}
          </span>
        ) : null}
      </button>
      <button type="button" className={styles.control} onClick={onReport} data-testid="report-issue" disabled={!joined}>
        <FlagIcon />
        <span>{t("report")}</span>
      </button>
      <span className={styles.spacer} />
      <button type="button" className={`${styles.control} ${styles.endControl}`} onClick={onEnd} data-testid="end-call">
        <PhoneIcon />
        <span>{t("end")}</span>
      </button>
    </nav>
  );
}
