"""Front-ends: each turns one kind of input into a :class:`efslint.model.Model`.

One sub-package per input: ``taskdef`` (ECS task-definition JSON), ``cloudformation`` (templates,
SAM, CDK output), ``terraform`` (HCL modules and plan JSON) and ``aws`` (a live account). Below
them, shared by all: ``files`` (reading a file, naming it for the user), ``located`` (values that
keep their line and column), ``json_reader``, ``errors``, ``batch_links`` (which AWS Batch job
definitions run on which compute environments, for every front-end that reads Batch) and
``capacity_strategy`` (which capacity providers get tasks, which network modes use the instance's).
Front-ends import the model, the policy parser and these shared modules; never the pipeline, the
engine, the reporters or the CLI.
"""
