"""Prints docs/testing.md's table: every AWS operation silo calls, and what covers it.

- "moto + model check": an integration test sent it to moto through scripts/lib/model_check.py
  (the operations file of the last scripts/test run, target/model-check-operations.txt);
- "mocks": only aws-smithy-mocks tests assert its request (moto lacks it, or the test needs an
  answer moto cannot give);
- "nothing": no test sends it.

Usage: python3 scripts/lib/coverage.py [OPERATIONS_FILE] > table.md
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The botocore service of each crates/aws/src module's calls (as tests/iam_policies.rs maps them).
MODULES = {
    "assume.rs": "sts", "athena.rs": "athena", "budgets.rs": "budgets", "cloudwatch.rs": "cloudwatch",
    "codepipeline.rs": "codepipeline", "context.rs": "sts", "configservice.rs": "config", "controltower.rs": "controltower", "costexplorer.rs": "ce",
    "ecr.rs": "ecr", "ecs.rs": "ecs", "ecs_deploy.rs": "ecs", "ecs_events.rs": "ecs", "guardduty.rs": "guardduty",
    "health.rs": "health", "inspector.rs": "inspector2", "metrics.rs": "cloudwatch", "organizations.rs": "organizations",
    "pipeline_runs.rs": "codepipeline", "queue.rs": "cloudwatch",
    "scheduler.rs": "scheduler", "securityhub.rs": "securityhub", "securityhub_v2.rs": "securityhub",
    "servicecatalog.rs": "servicecatalog", "vpn.rs": "cloudwatch",
}
# The SDK crate of each botocore service name (aws-sdk-<crate>).
CRATES = {"ce": "costexplorer"}
VERBS = ("list|describe|get|batch|search|update|create|delete|start|stop|put|assume|enable|disable|archive|"
         "unarchive|continue|execute")
CALL = re.compile(rf"\.((?:{VERBS})_[a-z_0-9]+)\(\)")


def pascal(snake):
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_"))


def called():
    ops = set()
    for module, service in MODULES.items():
        text = (ROOT / "crates/aws/src" / module).read_text()
        ops |= {(service, pascal(m)) for m in CALL.findall(text)}
    return ops


def mocked():
    found = set()
    for path in list((ROOT / "crates/aws/src/mock_tests").glob("*.rs")) + list((ROOT / "tests").glob("*.rs")):
        for crate, op in re.findall(r"mock!\(aws_sdk_(\w+)::Client::(\w+)\)", path.read_text()):
            service = {v: k for k, v in CRATES.items()}.get(crate, crate)
            found.add((service, pascal(op)))
    return found


def main():
    seen_file = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target/model-check-operations.txt")
    seen = {tuple(line.split()) for line in seen_file.read_text().splitlines() if line.strip()}
    mocks = mocked()
    print("| service | operation | covered by |")
    print("|---|---|---|")
    for service, op in sorted(called()):
        kinds = []
        if (service, op) in seen:
            kinds.append("moto + model check")
        if (service, op) in mocks:
            kinds.append("mocks")
        print(f"| {service} | {op} | {', '.join(kinds) or '**nothing**'} |")


if __name__ == "__main__":
    main()
