/**
 * Preloaded into a bench server (`node --import bench/dist/probe.js`) only in the modes that ask
 * for it (`--profile`, `--soak`), never in the throughput runs. Over the IPC channel it answers
 * `{ probe: 'memory' }` with process.memoryUsage() (after a full GC when --expose-gc is on) and
 * `{ probe: 'writes' }` with the socket writes and requests since the last such question: how
 * many write/writev calls one response takes.
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector';
import net from 'node:net';

type WriteGeneric = (this: net.Socket, writev: boolean, ...rest: unknown[]) => unknown;
const socketProto = net.Socket.prototype as unknown as { _writeGeneric: WriteGeneric };
const counts = { write: 0, writev: 0, requests: 0 };
const writeGeneric = socketProto._writeGeneric;
socketProto._writeGeneric = function (this: net.Socket, writev: boolean, ...rest: unknown[]) {
  if (writev) counts.writev++;
  else counts.write++;
  return writeGeneric.call(this, writev, ...rest);
};
type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
const serverProto = http.Server.prototype as unknown as { emit: Emit };
const emit = serverProto.emit;
serverProto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
  if (event === 'request') counts.requests++;
  return emit.call(this, event, ...args);
};

let inspector: Session | undefined;
const post = (method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) => inspector!.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));

process.on('message', (message: { probe?: string; file?: string }) => {
  if (message?.probe === 'profile-start') {
    inspector = new Session();
    inspector.connect();
    void post('Profiler.enable')
      .then(() => post('Profiler.setSamplingInterval', { interval: 200 }))
      .then(() => post('Profiler.start'))
      .then(() => process.send?.({ probe: 'profile-start' }));
    return;
  }
  if (message?.probe === 'profile-stop') {
    void post('Profiler.stop').then((result) => {
      writeFileSync(message.file!, JSON.stringify((result as { profile: unknown }).profile));
      inspector!.disconnect();
      process.send?.({ probe: 'profile-stop', file: message.file });
    });
    return;
  }
  if (message?.probe === 'memory') {
    const gc = (globalThis as { gc?: () => void }).gc;
    const before = process.memoryUsage();
    gc?.();
    const after = process.memoryUsage();
    process.send?.({ probe: 'memory', before, after, gc: Boolean(gc) });
  } else if (message?.probe === 'writes') {
    process.send?.({ probe: 'writes', ...counts });
    counts.write = counts.writev = counts.requests = 0;
  }
});
