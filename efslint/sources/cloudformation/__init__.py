"""CloudFormation templates (YAML or JSON, SAM, CDK output) into the model.

``yaml_loader`` reads YAML with positions and the short-form intrinsic tags, ``template`` is the
entry point (size limits, nested stacks, suppressions), ``resolve`` evaluates ``Ref``/``GetAtt``/
``Sub``/``If``/``Select`` against parameters and resources, ``values`` reads resolved values as
the model's types, and ``resources`` maps each resource type to model entities and links;
``capacity`` finds EC2 container instances and ``batch`` maps the ``AWS::Batch::*`` resources.
"""
