import { LanguageSwitcher } from "@/components/i18n/LanguageSwitcher";
import styles from "./room.module.css";

/**
 * The top of a join card: the clinic's name, and beside it (or under it, when the screen is
 * narrow) the language switcher, so a person can change the language before the PIN, the device
 * check or a message about the link. Not in the call itself: the call screen has no card.
 */
export function JoinCardTop({ organizationName }: { organizationName?: string }) {
  return (
    <div className={styles.cardTop}>
      {organizationName ? <p className={styles.eyebrow}>{organizationName}</p> : null}
      <LanguageSwitcher className={styles.language} />
    </div>
  );
}
