/**
 * Loopback servers and child processes for end-to-end tests: every port is an ephemeral one on 127.0.0.1,
 * every process is started here and stopped by its own pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as http from "node:http";
import * as net from "node:net";

/** A free TCP port on 127.0.0.1 (bound to port 0, read, released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** One request a {@link RecordingServer} received. */
export interface Received {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

/** A fixed answer of a {@link RecordingServer} for one path. */
export interface CannedResponse {
  readonly contentType: string;
  readonly body: string;
}

/** An HTTP server on 127.0.0.1 that records every POST and answers 200 (`{}`, or the path's canned response). */
export class RecordingServer {
  readonly received: Received[] = [];
  private server?: http.Server;
  port = 0;

  /** @param responses answers by request path, for clients that parse what they get back (an AWS SDK's XML) */
  constructor(private readonly responses: Readonly<Record<string, CannedResponse>> = {}) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        this.received.push({ path: req.url ?? "", headers: req.headers, body });
        const canned = this.responses[req.url ?? ""];
        res.writeHead(200, { "content-type": canned?.contentType ?? "application/json" }).end(canned?.body ?? "{}");
      });
    });
    await listen(this.server);
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await close(this.server);
  }
}

/** Starts a server on an ephemeral loopback port. */
export async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return (server.address() as net.AddressInfo).port;
}

export async function close(server: http.Server | undefined): Promise<void> {
  if (server === undefined || !server.listening) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A child process whose output is kept for failure messages. */
export class Child {
  readonly proc: ChildProcess;
  output = "";

  /** @param env variables added to this process's environment, for this child only */
  constructor(readonly name: string, bin: string, args: readonly string[], env: Readonly<Record<string, string>> = {}) {
    this.proc = spawn(bin, [...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    const keep = (b: Buffer) => {
      this.output = (this.output + b.toString("utf8")).slice(-20000);
    };
    this.proc.stdout?.on("data", keep);
    this.proc.stderr?.on("data", keep);
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
  async stop(graceMs = 3000): Promise<void> {
    const p = this.proc;
    if (p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => p.once("exit", () => resolve()));
    p.kill("SIGTERM");
    const timer = setTimeout(() => p.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Polls `check` until it returns a value or the deadline passes (then throws with `what` and `context`). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, deadline: number, context: () => string = () => ""): Promise<T> {
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${context()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** GET a URL on loopback; undefined while the server is not answering. */
export async function get(url: string): Promise<{ status: number; text: string } | undefined> {
  try {
    const r = await fetch(url);
    return { status: r.status, text: await r.text() };
  } catch {
    return undefined;
  }
}
