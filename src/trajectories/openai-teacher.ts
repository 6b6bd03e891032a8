/**
 * A teacher behind any OpenAI-compatible chat-completions endpoint: the question with
 * its gold answer (and, in refinement rounds, the failed checks) as a chat, through the
 * shared client (streaming, timeouts, retries, cancel, concurrency limit: openai-chat.ts).
 */
import { OpenAiChat, type OpenAiChatConfig } from './openai-chat';
import { buildMessages } from './prompt';
import type { Teacher, TeacherRequest } from './types';

export { OPENAI_DEFAULTS, TeacherHttpError } from './openai-chat';
export type OpenAiTeacherConfig = OpenAiChatConfig;

export class OpenAiTeacher implements Teacher {
  readonly id: string;
  readonly url: string;
  private readonly chat: OpenAiChat;

  constructor(config: OpenAiTeacherConfig) {
    try {
      this.chat = new OpenAiChat(config);
    } catch (e) {
      throw new Error(`teacher ${(e as Error).message}`);
    }
    this.url = this.chat.url;
    this.id = `openai:${this.chat.base}#${config.model}`;
  }

  /** attempts made, failed ones included (for progress and tests) */
  get attempts(): number {
    return this.chat.attempts;
  }

  generate(req: TeacherRequest): Promise<string> {
    return this.chat.complete(buildMessages(req.question, req.refinement), { ...(req.signal ? { signal: req.signal } : {}), ...(req.onToken ? { onToken: req.onToken } : {}) });
  }
}
