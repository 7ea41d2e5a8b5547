/** The Adaptive Cards the bot sends: plain JSON objects, no bot framework types. */
export { renderCard, type AdaptiveCardJson, type CardName, type CardRefresh } from './render';
export { pickTargetCard, type TargetSummary } from './pick-target-card';
export { requestCard, type RequestCardOptions, type RequestCardValues } from './request-card';
export { approvalCard, type ApprovalViewer } from './approval-card';
export { statusCard } from './status-card';
export { completionCard, completionResult } from './completion-card';
export { noticeCard, type NoticeStyle } from './notice-card';
