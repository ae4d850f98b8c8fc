"""The same figures whatever runs the networks: here, a process pool, a dask cluster.

The lead runs this file as a CI step of its own (two dask workers in separate processes).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from bizmodels.design.ensemble import FIGURES, PlanEnsemble, PlanFigures
from bizmodels.plans import liandong_699

SEEDS = range(4)
SIZE = {"members": 2_000, "days": 120}
PLANS = (liandong_699(), liandong_699(direct_member=150, see_point=80))


def _per_seed(figures: PlanFigures) -> dict[str, list[float]]:
    return {key: figures.values(key).tolist() for key in FIGURES}


@pytest.fixture(scope="module")
def here() -> list[dict[str, list[float]]]:
    ens = PlanEnsemble(SEEDS, **SIZE)
    return [_per_seed(ens.evaluate(p)) for p in PLANS]


def test_a_process_pool_gives_the_same_figures(here: list[dict[str, list[float]]]) -> None:
    ens = PlanEnsemble(SEEDS, **SIZE)
    context = multiprocessing.get_context("spawn")  # nothing inherited from this process
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        one = [_per_seed(ens.evaluate(p, executor=pool)) for p in PLANS]
        both = [_per_seed(f) for f in ens.evaluate_many(PLANS, executor=pool)]
    assert one == here
    assert both == here


def test_a_dask_cluster_gives_the_same_figures(here: list[dict[str, list[float]]]) -> None:
    distributed = pytest.importorskip("distributed")
    ens = PlanEnsemble(SEEDS, **SIZE)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        executor = client.get_executor()
        one = [_per_seed(ens.evaluate(p, executor=executor)) for p in PLANS]
        both = [_per_seed(f) for f in ens.evaluate_many(PLANS, executor=executor)]
        # the same answers after the cluster scales down to one worker
        cluster.scale(1)
        client.wait_for_workers(1)
        fewer = [_per_seed(ens.evaluate(p, executor=client.get_executor())) for p in PLANS]
    assert one == here
    assert both == here
    assert fewer == here
