"""The lint pipeline: paths in, findings out.

``discovery`` walks directories, classifies files by content and hands each to its front-end;
``units`` lints one file or Terraform module at a time; ``parallel`` spreads large inputs over
worker processes; ``lint`` ties them together and ``result`` holds what a run produced.  It may
import the front-ends (lazily, by kind), the engine and the model; only the CLI and integrations
import it.
"""
