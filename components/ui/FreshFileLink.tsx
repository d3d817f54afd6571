"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { chatFileLinkFresh } from "@/lib/chat-files/link";

type Props = {
  /** The signed download URL as the reader last got it (`…?expires=…&signature=…`). */
  url: string;
  fileName: string;
  /** Reads the message again, so `url` comes back fresh (the chat's messages, or the page's). */
  renew: () => Promise<unknown>;
  onRenewFailed?: (error: unknown) => void;
  className?: string;
  children: ReactNode;
  "aria-label"?: string;
  "data-testid"?: string;
};

/**
 * A chat file's download link. Its URL lasts ten minutes; one clicked after that (a long call,
 * a laptop that slept) would fail, so the click first renews it and then downloads from the new
 * one. Always `download`: the file is never opened in place of the page (the call goes on).
 */
export function FreshFileLink({ url, fileName, renew, onRenewFailed, className, children, ...rest }: Props) {
  const anchor = useRef<HTMLAnchorElement>(null);
  const wanted = useRef(false);
  const renewed = useRef(false);

  // The renewed URL has arrived: the download the person asked for goes ahead (whatever this
  // device's clock says: the server just minted it, and a clock set wrong must not block it).
  useEffect(() => {
    if (!wanted.current) return;
    wanted.current = false;
    renewed.current = true;
    anchor.current?.click();
  }, [url]);

  return (
    <a
      ref={anchor}
      href={url}
      download={fileName}
      className={className}
      aria-label={rest["aria-label"]}
      data-testid={rest["data-testid"]}
      onClick={(event) => {
        if (renewed.current || chatFileLinkFresh(url, Date.now())) {
          renewed.current = false;
          return;
        }
        event.preventDefault();
        if (wanted.current) return;
        wanted.current = true;
        renew().catch((error: unknown) => {
          wanted.current = false;
          onRenewFailed?.(error);
        });
      }}
    >
      {children}
    </a>
  );
}
