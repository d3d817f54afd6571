import type { ConsultationActions } from "@/components/dashboard/ConsultationRowActions";
import { cancelConsultationAction, consultationLinksAction, endConsultationAction, reissueAccessAction, revealPinAction } from "./actions";

/** The server actions on one consultation, as the pages hand them to its buttons. */
export const consultationActions: ConsultationActions = {
  links: consultationLinksAction,
  revealPin: revealPinAction,
  reissue: reissueAccessAction,
  cancel: cancelConsultationAction,
  end: endConsultationAction,
};
