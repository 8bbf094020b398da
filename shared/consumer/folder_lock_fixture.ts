/** A Worker for folder_lock_test.ts: takes the lock of the folder it is sent and keeps it. */
import { lockFolder } from "./folder_lock.ts";

self.onmessage = (event: MessageEvent<string>) => {
  lockFolder(event.data, "consumer terminated");
  self.postMessage("locked");
  setInterval(() => {}, 60_000);
};
