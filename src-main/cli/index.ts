import { toAppErrorInfo } from "../api/app-error";
import { ASK_USAGE, askCommand } from "./ask-command";
import { BENCH_USAGE, benchCommand } from "./bench-command";
import { CALIBRATE_USAGE, calibrateCommand } from "./calibrate-command";
import { EVAL_USAGE, evalCommand } from "./eval-command";

interface Command {
  run(args: string[]): Promise<void>;
  usage: string;
}

const COMMANDS: Record<string, Command> = {
  ask: { run: askCommand, usage: ASK_USAGE },
  calibrate: { run: calibrateCommand, usage: CALIBRATE_USAGE },
  eval: { run: evalCommand, usage: EVAL_USAGE },
  bench: { run: benchCommand, usage: BENCH_USAGE },
};

const USAGE = `CompressKV command line\n\n${Object.values(COMMANDS)
  .map((command) => command.usage)
  .join("\n\n")}`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`${USAGE}\n`);
    return name === "--help" || name === "-h" ? 0 : 2;
  }
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    await command.run(args);
    return 0;
  } catch (error) {
    const info = toAppErrorInfo(error);
    process.stderr.write(`error: ${info.message}\n`);
    return info.code === "invalid-request" ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
