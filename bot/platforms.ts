/** Which platforms this deployment notifies on: the console adapter when on, and each configured platform. */
import type { Config, PlatformEnv } from './config.ts';
import type { PlatformName } from '../handlers/bot.ts';
import { parseWecomConfig } from './wecom/config.ts';
import { parseDingtalkConfig } from './dingtalk/config.ts';

export function notifyPlatforms(config: Pick<Config, 'DUBAN_CONSOLE'>, env: PlatformEnv): PlatformName[] {
  const out: PlatformName[] = [];
  if (config.DUBAN_CONSOLE) out.push('CONSOLE');
  if (parseWecomConfig(env)) out.push('WECOM');
  if (parseDingtalkConfig(env)) out.push('DINGTALK');
  return out;
}
