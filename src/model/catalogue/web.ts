import type { CatalogueSection } from './entry';

/** Codes of the web part (dashboard) and of what it shares with the CLI: identity merges, the audit chain, the worklist. */
export const webCodes = {
  'identity.merge_invalid': {
    severity: 'error',
    message: 'Связывание записей не выполнено: неверные данные',
    hint: 'Вручную связываются только ученики, сотрудники и законные представители. Укажите код человека в МИС, его код на платформе и основание (например, «сверено по свидетельству о рождении»).',
  },
  'identity.person_unknown': {
    severity: 'error',
    message: 'Такого человека нет в списках школы, прочитанных при последней синхронизации',
    hint: 'Проверьте коды: код в МИС — из выгрузки школы, код на платформе — из Дневник.ру (страница ученика в ejsync показывает оба). Если человека добавили недавно, дождитесь следующей синхронизации.',
  },
  'audit.chain_broken': {
    severity: 'error',
    message: 'Журнал действий изменён: цепочка контрольных сумм нарушена',
    hint: 'Запись журнала изменили, удалили или переставили в базе в обход ejsync. Сохраните копию базы для разбора, сообщите ответственному за информационную безопасность и сверьте журнал с резервной копией (ejsync backup).',
  },
  'worklist.action_unknown': {
    severity: 'error',
    message: 'Такого ручного действия нет в списке связи',
    hint: 'Посмотрите коды действий командой ejsync worklist --link СВЯЗЬ или на странице «Ручные действия».',
  },
} as const satisfies CatalogueSection;
