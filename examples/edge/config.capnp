# workerd's configuration for the edge example (paths are relative to this file; build first).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "prune", worker = .pruneWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "prune") ],
);

const pruneWorker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "adacore.workerd.mjs", esModule = embed "../../dist/adacore.workerd.mjs"),
    (name = "adacore.mjs", esModule = embed "../../dist/adacore.mjs"),
    (name = "kernels.wasm", wasm = embed "../../dist/kernels.wasm"),
  ],
  compatibilityDate = "2025-01-01",
);
