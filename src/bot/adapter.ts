import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type TurnContext,
} from 'botbuilder';
import type { AppConfig } from '../config';
import type { Logger } from '../log';

/**
 * The Bot Framework adapter. In production it checks every incoming request's JWT against the
 * bot's app registration (an unauthenticated request gets 401). In demo mode there is no app id,
 * which makes botbuilder skip authentication: config.ts only allows that on loopback.
 */
export function createAdapter(config: AppConfig, log: Logger): { adapter: CloudAdapter; appId: string } {
  const auth =
    config.mode === 'production'
      ? new ConfigurationBotFrameworkAuthentication(
          {},
          new ConfigurationServiceClientCredentialFactory({
            MicrosoftAppId: config.bot.appId,
            MicrosoftAppPassword: config.bot.password,
            MicrosoftAppType: config.bot.type,
            MicrosoftAppTenantId: config.bot.tenantId,
          }),
        )
      : new ConfigurationBotFrameworkAuthentication({});
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error('turn.failed', { activityType: context.activity.type, conversationId: context.activity.conversation?.id, error: error.message });
    if (context.activity.type === 'message') {
      await context.sendActivity('Something went wrong on our side and nothing was changed. Please try again; if it keeps failing, tell IT.');
    }
  };
  return { adapter, appId: config.mode === 'production' ? config.bot.appId : '' };
}
