import { toAppErrorInfo } from "../api/app-error";
import { ASK_USAGE, askCommand } from "./ask-command";
import { CALIBRATE_USAGE, calibrateCommand } from "./calibrate-command";

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  ask: askCommand,
  calibrate: calibrateCommand,
};

const USAGE = `CompressKV command line\n\n${ASK_USAGE}\n\n${CALIBRATE_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`${USAGE}\n`);
    return name === "--help" || name === "-h" ? 0 : 2;
  }
  try {
    await command(args);
    return 0;
  } catch (error) {
    const info = toAppErrorInfo(error);
    process.stderr.write(`error: ${info.message}\n`);
    return info.code === "invalid-request" ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
