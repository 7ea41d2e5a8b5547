import { renderCard, type AdaptiveCardJson } from './render';
import type { CardColor } from './wording';

export type NoticeStyle = Exclude<CardColor, 'accent'>;

/** A clear answer that needs no action, e.g. "No one matches 'Zed'". */
export function noticeCard(title: string, text: string, style: NoticeStyle = 'default'): AdaptiveCardJson {
  return renderCard('notice', { title, text, style });
}
