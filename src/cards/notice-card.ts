import { escapeCardText } from './escape-text';
import { renderCard, type AdaptiveCardJson } from './render';
import type { CardColor } from './wording';

export type NoticeStyle = Exclude<CardColor, 'accent'>;

/**
 * A clear answer that needs no action, e.g. "No one matches 'Zed'". Title and text are plain
 * text (they often quote what someone typed), so they are escaped, never read as markdown.
 */
export function noticeCard(title: string, text: string, style: NoticeStyle = 'default'): AdaptiveCardJson {
  return renderCard('notice', { title: escapeCardText(title), text: escapeCardText(text), style });
}
