"""Benchmark at province scale on an existing synthetic province (not a test): the results
recompute, the ranking xlsx export and the paginated results page for the whole province's scope.

Generate the province once with `bench/province.py --db FILE`, then:
    .venv/bin/python bench/bench_scale_pages.py --db FILE [--repeat 3] [--pages 1,100,last]
Without `--db` (as `make bench` runs it) it generates `--orgs` (default 10,000) in a scratch file.
Prints `scale.<name> N` lines (medians of `--repeat` runs; the recompute `--recompute-repeat`),
with the mean CPU seconds of this process beside them (SQLite runs in it). The page is timed by calling the view
with a RequestFactory request (no middleware) as a superuser, and once through the test Client.
"""

from __future__ import annotations

import argparse
import statistics
import time

from province import on_province


def _median(function, repeat: int) -> tuple[float, object]:
    runs, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="an existing province file (default: generate one)")
    parser.add_argument("--orgs", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", default="1,100,last")
    parser.add_argument("--recompute-repeat", type=int, default=1)
    parser.add_argument("--skip-recompute", action="store_true")
    args = parser.parse_args()
    on_province(args.db, orgs=args.orgs, raters=3, run=lambda: run(args))


def run(args) -> None:
    from django.test import RequestFactory

    from kaoping.accounts.models import User
    from kaoping.campaigns.domain.results import recompute_results
    from kaoping.campaigns.models import Campaign, Result
    from kaoping.campaigns.views.results import PAGE_SIZE, results_list
    from kaoping.reports.domain import exports

    campaign = Campaign.objects.order_by("-pk").first()
    size = campaign.participants.count()
    tag = f"participants{size}"
    print(f"scale.{tag}_sheets {campaign.stages.first().assignments.count()}", flush=True)
    if not args.skip_recompute or not Result.objects.filter(campaign=campaign).exists():
        cpu = time.process_time()
        seconds, done = _median(lambda: recompute_results(campaign=campaign), args.recompute_repeat)
        cpu = (time.process_time() - cpu) / args.recompute_repeat
        print(f"scale.{tag}_recompute_seconds {seconds:.3f}  # cpu {cpu:.3f} (mean)", flush=True)
        for phase, step in done.phases.items():  # the last run's steps; the commit is not one
            print(f"scale.{tag}_recompute_{phase}_seconds {step:.3f}", flush=True)

    cpu = time.process_time()
    seconds, result = _median(lambda: exports.export_ranking(campaign=campaign), args.repeat)
    cpu = (time.process_time() - cpu) / args.repeat
    with result.file:
        written = len(result.file.read())
    print(f"scale.{tag}_ranking_xlsx_seconds {seconds:.3f}  # cpu {cpu:.3f} (mean), "
          f"{written} bytes", flush=True)  # fmt: skip

    admin, _ = User.objects.get_or_create(
        username="bench-superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    last = (size + PAGE_SIZE - 1) // PAGE_SIZE
    factory = RequestFactory()
    warm = factory.get(f"/campaigns/{campaign.pk}/results/")  # templates compiled, not timed
    warm.user, warm.htmx = admin, False
    results_list(warm, campaign.pk)
    for page in args.pages.split(","):
        number = last if page == "last" else int(page)

        def get(number=number):
            request = factory.get(f"/campaigns/{campaign.pk}/results/", {"page": number})
            request.user = admin
            request.htmx = False
            response = results_list(request, campaign.pk)
            assert response.status_code == 200, response.status_code
            return response

        cpu = time.process_time()
        seconds, _ = _median(get, args.repeat)
        cpu = (time.process_time() - cpu) / args.repeat
        print(f"scale.{tag}_results_page{page}_seconds {seconds:.3f}  # cpu {cpu:.3f} (mean)",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
