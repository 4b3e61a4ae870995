# sam build runs these targets (template.yaml: BuildMethod makefile) in a scratch copy of the project, with
# ARTIFACTS_DIR set; SAM zips that directory as the function's code. What goes in is the shaded jar that
# JarSizeIT and DeploymentJarIT check, unpacked: Lambda's Java runtime loads a function's classes from the root
# of its code (and jars from lib/), exactly as it does when a jar itself is uploaded. Maven only packages here:
# the tests are `mvn verify`'s, run before (CI runs it first); .ci/lambda-runtime checks that what these targets
# ship holds the very bytes of the jar those tests checked.
#
# Both functions ship the same jar, and each packages it anew (some 10 s): SAM never shares one makefile build
# between functions, gives each its own scratch copy, and copies target/ into it as the developer left it, so a
# jar found there could be older than the sources.
build-StageEventsFunction build-ReconcilerFunction:
	mvn -B -q -Dstyle.color=never -DskipTests=true clean package
	cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)"/target/*-lambda.jar

.PHONY: build-StageEventsFunction build-ReconcilerFunction
