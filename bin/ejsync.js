#!/usr/bin/env node
'use strict';
// The CLI runs from the compiled output (`npm install` builds it through the `prepare` script).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('ejsync: сборка не найдена (dist/). Выполните «npm install» или «npm run build» в каталоге проекта.\n');
  process.exit(2);
}
require(entry).main(process.argv).catch((error) => {
  process.stderr.write(`ejsync: непредвиденная ошибка: ${error && error.message ? error.message : String(error)}\n`);
  process.exit(2);
});
