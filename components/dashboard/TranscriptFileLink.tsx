"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { FreshFileLink } from "@/components/ui/FreshFileLink";

/** A transcript file's download link (see TranscriptFile): renewed by rendering the page again; its words come from the server. */
export function TranscriptFileLink({ url, fileName, label, offline }: { url: string; fileName: string; label: string; offline: string }) {
  const router = useRouter();
  const [failed, setFailed] = useState(false);
  return (
    <>
      <FreshFileLink
        url={url}
        fileName={fileName}
        renew={async () => {
          if (!navigator.onLine) throw new Error("offline");
          router.refresh();
        }}
        onRenewFailed={() => setFailed(true)}
        aria-label={label}
      >
        {fileName}
      </FreshFileLink>
      {failed ? <span role="alert"> {offline}</span> : null}
    </>
  );
}
