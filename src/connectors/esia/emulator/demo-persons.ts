import type { EmulatedPerson } from './esia-emulator-state';

/** Test accounts of the emulated ЕСИА for the demo and dress rehearsals (fictional people). */
export const DEMO_PERSONS: EmulatedPerson[] = [
  { oid: '1000100001', lastName: 'Операторова', firstName: 'Мария', middleName: 'Ивановна', birthDate: '1980-04-15', gender: 'F', snils: '11223344595', trusted: true, email: 'operator@example.ru' },
  { oid: '1000100002', lastName: 'Админов', firstName: 'Сергей', middleName: 'Петрович', birthDate: '1979-11-02', gender: 'M', trusted: true, email: 'admin@example.ru' },
  { oid: '1000100003', lastName: 'Завучева', firstName: 'Ольга', middleName: 'Николаевна', birthDate: '1975-07-21', gender: 'F', trusted: true },
  { oid: '1000100004', lastName: 'Неподтверждённый', firstName: 'Павел', birthDate: '1990-01-01', gender: 'M', trusted: false },
];
