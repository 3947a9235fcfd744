"""Checks the CI files at the repository root as their consumers read them: action.yml (a
GitHub composite action) and .pre-commit-hooks.yaml (pre-commit's hook list). Keys are those
GitHub's and pre-commit's documentation require; prints each problem and exits 1 on any."""
import sys

import yaml

root = sys.argv[1]
problems = []


def need(cond, what):
    if not cond:
        problems.append(what)


with open(f"{root}/action.yml") as f:
    action = yaml.safe_load(f)
need(isinstance(action, dict), "action.yml: not a mapping")
for key in ("name", "description", "runs"):
    need(key in action, f"action.yml: no {key}")
runs = action.get("runs", {})
need(runs.get("using") == "composite", "action.yml: runs.using is not composite")
steps = runs.get("steps")
need(isinstance(steps, list) and steps, "action.yml: runs.steps is not a non-empty list")
for i, step in enumerate(steps or []):
    need("run" in step or "uses" in step, f"action.yml: step {i} has neither run nor uses")
    # A composite action's run step must name its shell.
    need("uses" in step or "shell" in step, f"action.yml: step {i} runs without a shell")
for name, spec in (action.get("inputs") or {}).items():
    need(isinstance(spec, dict) and "description" in spec, f"action.yml: input {name} has no description")
text = open(f"{root}/action.yml").read()
for command in ("podnet check", "podnet diff", "-o md"):
    need(command in text, f"action.yml: does not run {command}")

with open(f"{root}/.pre-commit-hooks.yaml") as f:
    hooks = yaml.safe_load(f)
need(isinstance(hooks, list) and hooks, ".pre-commit-hooks.yaml: not a non-empty list")
for hook in hooks or []:
    for key in ("id", "name", "entry", "language"):
        need(key in hook, f".pre-commit-hooks.yaml: a hook without {key}")
    need(hook.get("language") in ("system", "script", "docker_image"),
         f".pre-commit-hooks.yaml: {hook.get('id')}: language {hook.get('language')}")

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
