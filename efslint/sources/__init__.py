"""Front-ends: each turns one kind of input into a :class:`efslint.model.Model`.

One sub-package per input: ``taskdef`` (ECS task-definition JSON), ``cloudformation`` (templates,
SAM, CDK output), ``terraform`` (HCL modules and plan JSON) and ``aws`` (a live account).  Below
them, shared by all: ``files`` (reading a file, naming it for the user), ``located`` (values that
keep their line and column), ``json_reader`` and ``errors``.  Front-ends import the model, the
policy parser and these shared modules; never the pipeline, the engine, the reporters or the CLI.
"""
