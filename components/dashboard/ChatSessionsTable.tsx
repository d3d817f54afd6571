"use client";

import Link from "next/link";
import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import ui from "@/components/ui/ui.module.css";
import type { ChatListRow } from "@/lib/chat-sessions/dashboard";
import { CHAT_STATE_LABELS } from "./labels";
import styles from "./dashboard.module.css";
import rooms from "./rooms.module.css";

/** The badge's colours: waiting stands out, in progress is live, closed ones are quiet. */
const STATE_TONE: Record<ChatListRow["state"], string> = {
  created: "Completed",
  started: "Pending",
  accepted: "InProgress",
  rejected: "Expired",
  finished: "Completed",
};

const columns: TableColumn<ChatListRow>[] = [
  {
    id: "title",
    header: "Consultation",
    cell: ({ row }) => {
      const r = row.original;
      const patient = r.participants.find((p) => p.privilege !== "plus") ?? r.participants[0];
      const label = r.title ?? (patient ? `Chat with ${patient.name}` : "Chat consultation");
      return (
        <Link href={`/dashboard/chat/${r.chatSessionId}`} data-testid="chat-row-link">
          {label}
        </Link>
      );
    },
  },
  {
    id: "state",
    header: "State",
    cell: ({ row }) => (
      <>
        <span className={`${ui.badge} ${ui[STATE_TONE[row.original.state]]}`}>{CHAT_STATE_LABELS[row.original.state]}</span>
        {row.original.hasCall ? <small className={rooms.roomNote}>Has a video call</small> : null}
      </>
    ),
  },
  {
    id: "participants",
    header: "Participants",
    cell: ({ row }) => (
      <ul className={rooms.people}>
        {row.original.participants.map((p) => (
          <li key={p.externalId}>
            {p.name}
            {p.privilege === "plus" ? <span className={styles.muted}> · clinician</span> : null}
          </li>
        ))}
      </ul>
    ),
  },
  {
    id: "at",
    header: "When",
    cell: ({ row }) => (
      <>
        {row.original.state === "started" ? <span className={styles.muted}>Asked </span> : null}
        {row.original.atLocal}
      </>
    ),
  },
  {
    id: "unread",
    header: "Unread",
    cell: ({ row }) =>
      row.original.unread === null ? (
        <span className={styles.muted}>Not in it</span>
      ) : row.original.unread === 0 ? (
        <span className={styles.muted}>None</span>
      ) : (
        <strong>{row.original.unread === 1 ? "1 new message" : `${row.original.unread} new messages`}</strong>
      ),
  },
];

export function ChatSessionsTable({ rows, timeZone }: { rows: ChatListRow[]; timeZone: string }) {
  return (
    <DataTable
      caption={`Chat consultations: waiting for acceptance first, then in progress, then the rest; times in ${timeZone}`}
      columns={columns}
      rows={rows}
      rowId={(row) => row.chatSessionId}
      empty="No chat consultations yet. Sessions made through the chat-sessions API appear here."
    />
  );
}
