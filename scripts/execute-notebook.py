#!/usr/bin/python3
"""Executes Jupyter notebooks in place with the Deno kernel, headless, and keeps every output.

Usage: execute-notebook.py KERNEL_DIR NOTEBOOK...   (KERNEL_DIR holds kernels/deno/kernel.json)

Why not `jupyter nbconvert --execute`: Deno's kernel (2.9) sometimes publishes a cell's execute_result just after
its `idle` status, and nbclient, which stops listening for a cell at `idle`, then drops the output (seen here on
about one cell in five). This runner files every IOPub message under the request it answers (its parent msg_id),
whenever it arrives, so a late output still lands in its own cell. A cell that raises stops the run (exit 1).
Needs Debian's python3-jupyter-client and python3-nbformat.
"""
import os
import queue
import sys
import time

import jupyter_client
import nbformat


def outputs_of(messages):
    out = []
    for m in messages:
        kind, c = m["msg_type"], m["content"]
        if kind == "stream":
            if out and out[-1].get("output_type") == "stream" and out[-1]["name"] == c["name"]:
                out[-1]["text"] += c["text"]
            else:
                out.append(nbformat.v4.new_output("stream", name=c["name"], text=c["text"]))
        elif kind in ("display_data", "execute_result"):
            data = {k: v for k, v in c["data"].items()}
            if kind == "execute_result":
                out.append(nbformat.v4.new_output("execute_result", data=data, metadata=c.get("metadata", {}), execution_count=c["execution_count"]))
            else:
                out.append(nbformat.v4.new_output("display_data", data=data, metadata=c.get("metadata", {})))
        elif kind == "error":
            out.append(nbformat.v4.new_output("error", ename=c["ename"], evalue=c["evalue"], traceback=c["traceback"]))
        elif kind == "clear_output":
            out.clear()
    return out


def run(path, timeout_s=600):
    nb = nbformat.read(path, as_version=4)
    cwd = os.path.dirname(os.path.abspath(path))
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name="deno", cwd=cwd)
    by_parent = {}

    def pump(wait_s):
        """Reads IOPub for up to wait_s seconds, filing each message under its parent request."""
        end = time.time() + wait_s
        while time.time() < end:
            try:
                m = kc.get_iopub_msg(timeout=0.05)
            except queue.Empty:
                continue
            by_parent.setdefault(m["parent_header"].get("msg_id"), []).append(m)

    failed = None
    ids = []
    try:
        count = 0
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            msg_id = kc.execute(cell.source, store_history=True, allow_stdin=False)
            ids.append((cell, msg_id))
            start = time.time()
            while True:
                try:
                    reply = kc.get_shell_msg(timeout=0.05)
                except queue.Empty:
                    pump(0)
                    if time.time() - start > timeout_s:
                        failed = f"{os.path.basename(path)}: cell {cell.get('id')} ran past {timeout_s} s"
                        break
                    continue
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            if failed:
                break
            count += 1
            cell.execution_count = reply["content"].get("execution_count", count)
            if reply["content"]["status"] != "ok":
                failed = f"{os.path.basename(path)}: cell {cell.get('id')} raised {reply['content'].get('ename')}: {reply['content'].get('evalue')}"
                break
        pump(1.0)  # late messages (an output published after idle) still reach their cell
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    for cell, msg_id in ids:
        cell.outputs = outputs_of(by_parent.get(msg_id, []))
    for cell in nb.cells:
        if cell.cell_type == "code" and all(cell is not c for c, _ in ids):
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, path)
    return failed


if __name__ == "__main__":
    os.environ["JUPYTER_PATH"] = sys.argv[1]
    errors = [e for e in (run(p) for p in sys.argv[2:]) if e]
    for e in errors:
        print(e, file=sys.stderr)
    sys.exit(1 if errors else 0)
