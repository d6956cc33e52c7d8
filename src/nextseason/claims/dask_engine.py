"""Reading and extracting articles on Dask: worker processes on this machine, or a cluster.

:class:`DaskEngine` runs the same :class:`~.pipeline.Stage` as the plain engine over
partitions of the files, on ``dask.distributed`` workers — a :class:`LocalCluster` it starts
(``workers`` processes of one thread each, no dashboard, quiet logs) or an existing cluster
whose scheduler ``address`` it is given — and hands the outcomes back to the driver, which
writes them through the one write path (:func:`~.articles.store_outcomes`).

How it keeps the driver small and the result the plain engine's:

* **The catalogue index goes once to each worker.** The stage (gazetteer and title index,
  about 11 MB for the full catalogue) is built on the driver and scattered to every worker
  (``broadcast``); each task receives it by reference, not a copy per article or task.
* **Bounded in flight.** Files go in partitions (up to :data:`MAX_PARTITION` files a task)
  and at most ``in_flight`` partitions are submitted or waiting to be written at any time;
  a new one is submitted as an old one is written. So the driver holds a few hundred
  articles at most, whatever the number of files.
* **The files' order.** Partitions finish in any order (``as_completed``); their outcomes
  are yielded in the files' order, so the stored rows — which file's path is kept for two
  files with the same text — are the plain engine's.
* **Idempotent.** An article's id is the hash of its text; a task run twice (a worker that
  died is replaced and its tasks rerun) gives the same outcomes, and storing an article
  again changes nothing.

Workers read the files themselves, at their absolute paths: on a cluster of other machines
the files must be at the same paths there (a shared file system), and nextseason installed.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError, EngineError
from .articles import Outcome
from .pipeline import Stage

__all__ = ["DaskEngine", "MAX_PARTITION", "CONNECT_TIMEOUT"]

#: the most files one task reads and extracts
MAX_PARTITION = 100
#: seconds to wait for an existing scheduler
CONNECT_TIMEOUT = 10.0


def _extract_partition(stage: Stage, files: list[tuple[str, str]]) -> list[Outcome]:
    """One task: read and extract a partition of files (absolute path, name as shown)."""
    return [stage(Path(path), Path(shown)) for path, shown in files]


def _host_port(address: str) -> tuple[str, int]:
    """``tcp://host:port`` (or ``host:port``) → (host, port), else a :class:`ConfigError`."""
    text = address.strip()
    parts = urlsplit(text if "://" in text else f"tcp://{text}")
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in ("tcp", "tls") or not parts.hostname or port is None:
        raise ConfigError(
            f"--scheduler {address!r} is not a Dask scheduler address; give it as "
            "tcp://HOST:PORT (e.g. tcp://10.0.0.5:8786)")
    return parts.hostname, port


class DaskEngine:
    """Read and extract articles on Dask workers; use as a context manager.

    Give ``workers`` (local worker processes, one thread each) or ``scheduler`` (the
    address of an existing cluster's scheduler), not both; neither means two local
    workers. Bad values raise :class:`ConfigError` before anything starts.
    """

    def __init__(self, *, workers: int | None = None, scheduler: str | None = None,
                 partition_size: int | None = None, in_flight: int | None = None,
                 timeout: float = CONNECT_TIMEOUT) -> None:
        if workers is not None and scheduler is not None:
            raise ConfigError("give --workers (a local cluster) or --scheduler (an existing "
                              "cluster), not both")
        if workers is not None and workers < 1:
            raise ConfigError(f"--workers must be at least 1, got {workers}")
        if partition_size is not None and partition_size < 1:
            raise ConfigError(f"the partition size must be at least 1, got {partition_size}")
        if in_flight is not None and in_flight < 1:
            raise ConfigError(f"in_flight must be at least 1, got {in_flight}")
        self.address = scheduler
        if scheduler is not None:
            _host_port(scheduler)
        self.workers = workers if workers is not None or scheduler is not None else 2
        self.partition_size = partition_size
        self.in_flight = in_flight
        self.timeout = timeout
        self._cluster: Any = None
        self._client: Any = None

    # -- the cluster --------------------------------------------------------------------

    def __enter__(self) -> DaskEngine:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def start(self) -> None:
        """Start the local cluster, or connect to the scheduler."""
        from distributed import Client, LocalCluster

        if self.address is not None:
            host, port = _host_port(self.address)
            try:  # a refused or unroutable address fails here at once, not after retries
                socket.create_connection((host, port), timeout=self.timeout).close()
            except OSError as exc:
                raise ConfigError(f"cannot reach the Dask scheduler at {self.address} "
                                  f"({exc.strerror or exc}); is it running?") from None
            try:
                self._client = Client(self.address, timeout=self.timeout,
                                      set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise ConfigError(f"cannot connect to the Dask scheduler at {self.address} "
                                  f"({exc})") from None
            try:
                self._client.wait_for_workers(1, timeout=self.timeout)
            except (OSError, TimeoutError):
                self.close()
                raise ConfigError(f"the Dask cluster at {self.address} has no workers (waited "
                                  f"{self.timeout:g} s); start some, or use --workers N for a "
                                  "local cluster") from None
            return
        try:
            self._cluster = LocalCluster(
                n_workers=self.workers, threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR,
                # no dashboard; the scheduler's small HTTP server (health checks) on any
                # free loopback port rather than 8787, which another cluster may hold
                scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})
            self._client = Client(self._cluster, set_as_default=False)
        except Exception as exc:
            self.close()
            raise EngineError(f"could not start a local Dask cluster of {self.workers} "
                              f"workers ({type(exc).__name__}: {exc})") from None

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this engine started it."""
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    @property
    def n_workers(self) -> int:
        """Workers the cluster has now (at least 1, for sizing partitions)."""
        if self._client is None:
            return max(self.workers or 1, 1)
        return max(len(self._client.scheduler_info().get("workers", {})), 1)

    # -- the work -----------------------------------------------------------------------

    def _sizes(self, n_files: int) -> tuple[int, int]:
        workers = self.n_workers
        size = self.partition_size or max(1, min(MAX_PARTITION,
                                                 math.ceil(n_files / (workers * 4))))
        return size, self.in_flight or workers * 3

    def outcomes(self, files: Sequence[Path], stage: Stage,
                 on_read: Callable[[int], None] | None = None) -> Iterator[Outcome]:
        """Each file's outcome, in the files' order, as the workers deliver them.

        The stage is shipped once to every worker; closing the generator early (the write
        path stopped, ``strict``) cancels what is still queued.
        """
        if self._client is None:
            raise EngineError("the Dask engine is not started")
        from distributed import as_completed

        client = self._client
        size, in_flight = self._sizes(len(files))
        n_parts = math.ceil(len(files) / size)
        if not n_parts:
            return

        def part(i: int) -> list[tuple[str, str]]:  # made when submitted, not all up front
            return [(os.path.abspath(f), str(f)) for f in files[i * size:(i + 1) * size]]

        try:
            shipped = client.scatter(stage, broadcast=True, hash=False)
        except Exception as exc:
            raise EngineError(f"could not send the catalogue index to the Dask workers "
                              f"({type(exc).__name__}: {exc})") from None
        run = uuid.uuid4().hex[:8]
        index: dict[str, int] = {}
        done: dict[int, list[Outcome]] = {}
        queue = as_completed(loop=client.loop)
        submitted = written = 0

        def submit() -> None:
            nonlocal submitted
            while submitted < n_parts and submitted - written < in_flight:
                fut = client.submit(_extract_partition, shipped, part(submitted),
                                    key=f"extract-articles-{run}-{submitted}", retries=1)
                index[fut.key] = submitted
                queue.add(fut)
                submitted += 1

        try:
            submit()
            for fut in queue:
                i = index.pop(fut.key)
                done[i] = _result(fut, self.address)
                fut.release()
                if on_read is not None:
                    on_read(len(done[i]))
                while written in done:
                    yield from done.pop(written)
                    written += 1
                    submit()
        finally:
            try:
                pending = list(queue.futures)
                if pending:
                    client.cancel(pending)
                client.cancel([shipped])
            except Exception:  # the cluster is gone already: nothing left to release
                pass


def _result(fut: Any, address: str | None) -> list[Outcome]:
    """A partition's outcomes; a worker that kept dying, or a lost scheduler, is an
    :class:`EngineError` (an error of ours inside the task is not caught here: it is a bug)."""
    from distributed import KilledWorker

    where = f"the Dask cluster at {address}" if address else "the local Dask cluster"
    try:
        result: list[Outcome] = fut.result()
    except KilledWorker as exc:
        raise EngineError(f"{where}: workers died while extracting a partition of articles "
                          f"({exc}); check their memory and logs") from None
    except ModuleNotFoundError as exc:
        raise EngineError(f"{where}: the workers cannot import {exc.name} — install "
                          "nextseason (the same version) on every worker") from None
    except OSError as exc:
        raise EngineError(f"{where}: lost the connection ({exc})") from None
    return result
