import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

/** Whether `expression` is a cron of 5 fields (or 6, seconds first) that cron-parser — BullMQ's parser — accepts. */
export function isValidCron(expression: string): boolean {
  const fields = expression.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6) return false;
  try {
    CronExpressionParser.parse(expression);
    return true;
  } catch {
    return false;
  }
}

/** A cron schedule checked when the config loads, with a Russian message naming the field. */
export function cronSchema(field: string) {
  return z.string().refine(isValidCron, {
    message: `${field}: ожидается расписание cron из 5 полей (минута час день месяц день_недели), например «0 2 * * *» — каждую ночь в 02:00`,
  });
}
