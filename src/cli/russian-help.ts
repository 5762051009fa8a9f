import { Command, Help, type Argument, type Option } from 'commander';

const TITLES: [RegExp, string][] = [
  [/^Usage:/gm, 'Использование:'],
  [/^Arguments:/gm, 'Аргументы:'],
  [/^Options:/gm, 'Параметры:'],
  [/^Commands:/gm, 'Команды:'],
  [/^Global Options:/gm, 'Общие параметры:'],
  [/\(default: /g, '(по умолчанию: '],
  [/\(choices: /g, '(варианты: '],
];

const ERRORS: [RegExp, string][] = [
  [/^error: unknown option '(.+)'/, "ошибка: неизвестный параметр «$1»"],
  [/^error: unknown command '(.+)'/, "ошибка: неизвестная команда «$1»"],
  [/^error: missing required argument '(.+)'/, "ошибка: не указан обязательный аргумент «$1»"],
  [/^error: option '(.+)' argument missing/, "ошибка: у параметра «$1» не указано значение"],
  [/^error: required option '(.+)' not specified/, "ошибка: не указан обязательный параметр «$1»"],
  [/^error: too many arguments.*/, 'ошибка: слишком много аргументов'],
  [/^error: option '(.+)' argument '(.+)' is invalid\.(.*)/, "ошибка: недопустимое значение «$2» параметра «$1».$3"],
  [/^\(Did you mean (.+)\?\)/m, '(Возможно, имелось в виду $1?)'],
];

const extras = (text: string) => text.replace(/\(default: /g, '(по умолчанию: ').replace(/, default: /g, ', по умолчанию: ').replace(/\(choices: /g, '(варианты: ');

const placeholders = (text: string) => text.replace(/\[options\]/g, '[параметры]').replace(/\[command\]/g, '[команда]');

class RussianHelp extends Help {
  // Placeholders are translated before widths are measured, so columns stay aligned.
  override subcommandTerm(cmd: Command): string {
    return placeholders(super.subcommandTerm(cmd));
  }

  override commandUsage(cmd: Command): string {
    return placeholders(super.commandUsage(cmd));
  }

  // "(default: …)" is translated before the text is wrapped (a wrapped one would stay English).
  override optionDescription(option: Option): string {
    return extras(super.optionDescription(option));
  }

  override argumentDescription(argument: Argument): string {
    return extras(super.argumentDescription(argument));
  }

  override formatHelp(cmd: Command, helper: Help): string {
    let text = super.formatHelp(cmd, helper);
    for (const [re, to] of TITLES) text = text.replace(re, to);
    return text;
  }
}

/** Makes a command (and, through `copyInheritedSettings`, its sub-commands) speak Russian. */
export function russify(cmd: Command): Command {
  cmd.createHelp = () => Object.assign(new RussianHelp(), cmd.configureHelp());
  cmd.helpOption('-h, --help', 'показать справку по команде');
  cmd.helpCommand('help [команда]', 'показать справку по команде');
  cmd.configureOutput({
    outputError: (str, write) => {
      let text = str;
      for (const [re, to] of ERRORS) text = text.replace(re, to);
      write(text);
    },
  });
  cmd.showHelpAfterError('(подробнее: ejsync --help)');
  return cmd;
}

/** A sub-command with the Russian help wired in. */
export function subcommand(parent: Command, nameAndArgs: string, description: string): Command {
  const cmd = parent.command(nameAndArgs).description(description);
  russify(cmd);
  return cmd;
}
