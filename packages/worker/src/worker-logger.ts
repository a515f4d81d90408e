/** Where the worker writes what it does and its runs' output. */
export interface WorkerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A line of a run's output, already prefixed with the run's name. */
  output(stream: "stdout" | "stderr", line: string): void;
}

function stamp(level: string, message: string): string {
  return `${new Date().toISOString().slice(11, 23)} | ${level.padEnd(8)} | sluice.worker - ${message}\n`;
}

/** The default logger: the worker's lines to stderr, run output to stdout or stderr as it came. */
export const consoleWorkerLogger: WorkerLogger = {
  info: (message) => process.stderr.write(stamp("INFO", message)),
  warn: (message) => process.stderr.write(stamp("WARNING", message)),
  error: (message) => process.stderr.write(stamp("ERROR", message)),
  output: (stream, line) => (stream === "stdout" ? process.stdout : process.stderr).write(`${line}\n`),
};
