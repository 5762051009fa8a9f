import { z } from 'zod';

// Administrators read validation messages: zod's own messages speak Russian everywhere.
z.config(z.locales.ru());
