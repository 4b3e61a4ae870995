package io.ivsstageevents;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.metrics.StageEventMetrics;
import io.ivsstageevents.path.Log;
import io.ivsstageevents.storage.TableDesign;
import io.ivsstageevents.testing.CloudFormationTemplate;
import io.ivsstageevents.testing.EventPatternMatcher;
import io.ivsstageevents.testing.LocalDynamoDb;
import java.time.ZoneOffset;
import io.ivsstageevents.testing.ivs.SampleWorld;
import io.ivsstageevents.testing.ivs.IvsRealTimeStandIn;
import io.ivsstageevents.testing.LocalReconciler;
import io.ivsstageevents.testing.LocalFunction;
import io.ivsstageevents.testing.OlderVersion;
import io.ivsstageevents.testing.SampleEvents;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * template.yaml against the code it deploys: the handler it names, the table the code writes, the events the
 * rule lets through, and the permissions the code needs, in both ingest modes.
 */
class TemplateTest {
    private static final String FUNCTION = "StageEventsFunction";
    private static final String ROLE = "StageEventsFunctionRole";
    private static final String TABLE = LocalDynamoDb.TABLE_RESOURCE;
    private static final String RULE = "StageEventsRule";
    private static final String RECONCILER = "ReconcilerFunction";
    private static final String RECONCILER_ROLE = "ReconcilerFunctionRole";
    private static final String SCHEDULE = "ReconcilerSchedule";
    private static final String SCHEDULE_ROLE = "ReconcilerScheduleRole";
    /** Every resource of the reconciler: none of them may outlive EnableReconciliation=false. */
    private static final List<String> RECONCILER_RESOURCES = List.of(RECONCILER, "ReconcilerFunctionLogGroup",
            RECONCILER_ROLE, SCHEDULE, SCHEDULE_ROLE, "ReconcilerErrorsAlarm", "ReconciliationBacklogAlarm");
    /** IVS Real-Time's List operations: 5 requests per second per account and Region, not adjustable. */
    private static final double IVS_LIST_QUOTA_PER_SECOND = 5;
    private static final String STAGE_ARN = "arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij";
    /** SQS's limit on a queue's visibility timeout: 12 hours. */
    private static final int SQS_LONGEST_VISIBILITY_SECONDS = 43_200;
    /**
     * What a batch may spend before its first message and still start it: reading the batch takes milliseconds,
     * but a cold start's first invocation also loads classes (hundreds of ms, docs/PERFORMANCE.md).
     */
    private static final Duration FIRST_MESSAGE_SLACK = Duration.ofSeconds(2);

    private final CloudFormationTemplate template = CloudFormationTemplate.load();
    private final Deployment direct = new Deployment(template, Map.of());
    private final Deployment queue = new Deployment(template, Map.of("IngestMode", "Queue"));
    private final Deployment withoutReconciler = new Deployment(template, Map.of("EnableReconciliation", "false"));

    // --- the function

    @Test
    void handlerNamesTheHandleRequestMethodOfARequestStreamHandlerLambdaCanConstruct() throws Exception {
        String[] handler = ((String) direct.properties(FUNCTION).get("Handler")).split("::");

        Class<?> type = Class.forName(handler[0]);
        Method method = type.getMethod(handler[1], InputStream.class, OutputStream.class, Context.class);

        assertThat(RequestStreamHandler.class).isAssignableFrom(type);
        assertThat(Modifier.isPublic(type.getModifiers())).isTrue();
        assertThat(type.getConstructor().getParameterCount()).isZero();
        assertThat(method.getReturnType()).isEqualTo(void.class);
    }

    @Test
    void codeUriIsTheMavenProjectSoSamBuildBuildsIt() {
        Path codeUri = Path.of((String) direct.properties(FUNCTION).get("CodeUri"));

        assertThat(codeUri.resolve("pom.xml")).exists();
    }

    /** SAM's own Maven builder would ship target/classes and every dependency jar, not the jar the ITs check. */
    @Test
    void samBuildShipsTheShadedJarThroughTheMakefileTargetOfEachFunction() throws Exception {
        for (String function : List.of(FUNCTION, RECONCILER)) {
            Path codeUri = Path.of((String) direct.properties(function).get("CodeUri"));
            String makefile = Files.readString(codeUri.resolve("Makefile"));

            assertThat(resource(function).get("Metadata")).as(function)
                    .extracting("BuildMethod").isEqualTo("makefile");
            assertThat(makefile).as(function).containsPattern("(?m)^(?:\\S+ )*build-" + function
                    + "(?: \\S+)*:\\n\\t.*\\bpackage\\b.*\\n\\t.*-lambda\\.jar");
        }
    }

    @Test
    void functionRunsOnArmFromASnapStartVersionPublishedOnEveryChange() {
        Map<String, Object> function = direct.properties(FUNCTION);

        assertThat((String) function.get("Runtime")).isIn("java21", "java25");
        assertThat(function.get("Architectures")).isEqualTo(List.of("arm64"));
        assertThat(function.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
        assertThat(function.get("AutoPublishAlias")).isNotNull();
        assertThat(function.get("AutoPublishAliasAllProperties")).isEqualTo(true);
    }

    @Test
    void memoryAndTimeoutAreParameters() {
        Map<String, Object> function = template.properties(FUNCTION);

        assertThat(function.get("MemorySize")).isEqualTo(Map.of("Ref", "FunctionMemorySize"));
        assertThat(function.get("Timeout")).isEqualTo(Map.of("Ref", "FunctionTimeout"));
    }

    @Test
    void theReconcilerSetsExactlyTheVariablesTheConfigurationReadsExceptTheRegionLambdaSets() throws Exception {
        assertThat(environment(direct, RECONCILER).keySet()).containsExactlyInAnyOrderElementsOf(variablesRead());
    }

    @Test
    void theEventFunctionSetsTheSameButTheReconcilersOwn() throws Exception {
        Set<String> read = variablesRead();
        read.removeAll(Set.of(Configuration.RECONCILIATION_STAGE_ARNS, Configuration.RECONCILIATION_LOOKBACK_HOURS,
                Configuration.RECONCILIATION_REQUESTS_PER_SECOND, Configuration.IVS_ENDPOINT));

        assertThat(environment(direct, FUNCTION).keySet()).containsExactlyInAnyOrderElementsOf(read);
    }

    private static Set<String> variablesRead() throws IllegalAccessException {
        Set<String> read = new TreeSet<>();
        for (Field field : Configuration.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                read.add((String) field.get(null));
            }
        }
        read.remove(Configuration.AWS_REGION);
        return read;
    }

    @Test
    void theDynamoDbEndpointOverrideIsEmptyInAws() {
        assertThat(environment(direct, FUNCTION).get(Configuration.DYNAMODB_ENDPOINT)).isEqualTo("");
    }

    /**
     * sam local invoke --env-vars env.json applies only the variables the template declares for the function, and
     * ignores the rest without a word: each entry names a function and sets exactly its variables, to values the
     * function accepts at init (with the region sam local gives it).
     */
    @Test
    void envJsonSetsEachLocalFunctionsDeclaredVariablesToValuesItAccepts() throws Exception {
        JsonNode envJson = new ObjectMapper().readTree(Path.of("env.json").toFile());

        assertThat(envJson.fieldNames()).toIterable().containsExactlyInAnyOrder(FUNCTION, RECONCILER);
        for (String function : List.of(FUNCTION, RECONCILER)) {
            Map<String, String> variables = new HashMap<>();
            envJson.get(function).fields().forEachRemaining(entry -> {
                assertThat(entry.getValue().isTextual()).as(function + " " + entry.getKey()).isTrue();
                variables.put(entry.getKey(), entry.getValue().asText());
            });
            assertThat(variables.keySet()).as(function)
                    .containsExactlyInAnyOrderElementsOf(environment(direct, function).keySet());
            Map<String, String> atInit = new HashMap<>(variables);
            atInit.put(Configuration.AWS_REGION, "us-east-1");
            assertThat(Configuration.fromEnvironment(atInit).dynamoDbEndpoint()).as(function).isNotNull();
        }
        assertThat(envJson.at("/" + RECONCILER + "/" + Configuration.IVS_ENDPOINT).asText()).isNotEmpty();
    }

    @ParameterizedTest
    @CsvSource({"StageEventsFunction, StageEventsFunctionLogGroup", "ReconcilerFunction, ReconcilerFunctionLogGroup"})
    void eachFunctionLogsAsTextToAnOwnLogGroupWithRetention(String function, String logGroup) {
        @SuppressWarnings("unchecked")
        Map<String, Object> logging = (Map<String, Object>) direct.properties(function).get("LoggingConfig");

        assertThat(logging.get("LogFormat")).isEqualTo("Text");
        assertThat(logging.get("LogGroup")).isEqualTo(Map.of("Ref", logGroup));
        assertThat(template.properties(logGroup).get("RetentionInDays")).isEqualTo(Map.of("Ref", "LogRetentionDays"));
    }

    // --- the table

    @Test
    void tableKeysAreTheOnesTheCodeWrites() {
        Map<String, Object> table = direct.properties(TABLE);

        assertThat(table.get("KeySchema")).isEqualTo(List.of(
                Map.of("AttributeName", TableDesign.PK, "KeyType", "HASH"),
                Map.of("AttributeName", TableDesign.SK, "KeyType", "RANGE")));
    }

    @Test
    void tableIndexesAreTheOnesTheCodeWritesWithEveryAttributeProjected() {
        assertThat(direct.list(TABLE, "GlobalSecondaryIndexes")).containsExactlyInAnyOrder(
                index(TableDesign.BY_PARTICIPANT_INDEX, TableDesign.GSI1_PK, TableDesign.GSI1_SK),
                index(TableDesign.BY_DESTINATION_INDEX, TableDesign.GSI2_PK, TableDesign.GSI2_SK));
    }

    @Test
    void everyKeyAttributeIsAString() {
        assertThat(direct.list(TABLE, "AttributeDefinitions")).allSatisfy(definition ->
                assertThat(definition).containsEntry("AttributeType", "S"));
    }

    @Test
    void everyItemTheCodeWritesHasTheTableKeysAndEachIndexKeyPairWholeOrNotAtAll() {
        List<Map<String, AttributeValue>> items = itemsWrittenForAllSamples(Map.of());

        assertThat(items).isNotEmpty().allSatisfy(item -> {
            assertThat(item.get(TableDesign.PK).s()).isNotBlank();
            assertThat(item.get(TableDesign.SK).s()).isNotBlank();
            assertThat(item.containsKey(TableDesign.GSI1_PK)).isEqualTo(item.containsKey(TableDesign.GSI1_SK));
            assertThat(item.containsKey(TableDesign.GSI2_PK)).isEqualTo(item.containsKey(TableDesign.GSI2_SK));
        });
        assertThat(items).anySatisfy(item -> assertThat(item).containsKey(TableDesign.GSI1_PK));
        assertThat(items).anySatisfy(item -> assertThat(item).containsKey(TableDesign.GSI2_PK));
    }

    @Test
    void timeToLiveIsOnTheAttributeTheCodeWritesInEpochSeconds() {
        assertThat(direct.properties(TABLE).get("TimeToLiveSpecification"))
                .isEqualTo(Map.of("AttributeName", TableDesign.EXPIRES_AT, "Enabled", true));

        List<Map<String, AttributeValue>> items =
                itemsWrittenForAllSamples(Map.of(Configuration.RETENTION_DAYS, "30"));

        long nowSeconds = Instant.now().getEpochSecond();
        assertThat(items).isNotEmpty().allSatisfy(item -> {
            long expiresAt = Long.parseLong(item.get(TableDesign.EXPIRES_AT).n());
            // The samples' events happened in 2026; 30 days after that, in seconds, not milliseconds.
            assertThat(expiresAt).isBetween(Instant.parse("2026-03-14T00:00:00Z").plus(Duration.ofDays(30))
                    .getEpochSecond(), nowSeconds + Duration.ofDays(3650).toSeconds());
        });
    }

    @Test
    void tableIsOnDemandRecoverableEncryptedAndKeptWhenTheStackGoes() {
        Map<String, Object> table = direct.properties(TABLE);
        Map<String, Object> resource = resource(TABLE);

        assertThat(table.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
        assertThat(table.get("PointInTimeRecoverySpecification"))
                .isEqualTo(Map.of("PointInTimeRecoveryEnabled", true));
        assertThat(table.get("SSESpecification")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("SSEEnabled", true);
        assertThat(resource.get("DeletionPolicy")).isEqualTo("Retain");
        assertThat(resource.get("UpdateReplacePolicy")).isEqualTo("Retain");
    }

    // --- the rule

    @Test
    void rulePatternMatchesEverySampleEvent() {
        Map<String, Object> pattern = direct.eventPattern(RULE);

        for (String sample : SampleEvents.allNames()) {
            assertThat(EventPatternMatcher.matches(pattern, sampleJson(sample))).as(sample).isTrue();
        }
    }

    @Test
    void rulePatternRejectsOtherSourcesAndDetailTypes() {
        Map<String, Object> pattern = direct.eventPattern(RULE);
        ObjectNode otherSource = SampleEvents.json("token-exchanged.json").put("source", "aws.ivschat");
        ObjectNode otherDetailType = SampleEvents.json("token-exchanged.json")
                .put("detail-type", "IVS Participant Recording State Change");

        assertThat(EventPatternMatcher.matches(pattern, otherSource)).isFalse();
        assertThat(EventPatternMatcher.matches(pattern, otherDetailType)).isFalse();
    }

    @Test
    void rulePatternTakesEveryStageWhenNoStageArnsAreGiven() {
        assertThat(direct.eventPattern(RULE)).doesNotContainKey("resources");
    }

    @Test
    void stageArnsNarrowTheRuleToTheListedStages() {
        Deployment listed = new Deployment(template, Map.of("StageArns", STAGE_ARN
                + ",arn:aws:ivs:us-west-2:123456789012:stage/Other1stage"));
        Deployment other = new Deployment(template,
                Map.of("StageArns", "arn:aws:ivs:us-west-2:123456789012:stage/Other1stage"));

        for (String sample : SampleEvents.allNames()) {
            assertThat(EventPatternMatcher.matches(listed.eventPattern(RULE), sampleJson(sample))).as(sample).isTrue();
            assertThat(EventPatternMatcher.matches(other.eventPattern(RULE), sampleJson(sample))).as(sample).isFalse();
        }
    }

    @Test
    void ruleInvokesThePublishedAliasInDirectModeWithRetriesAndADeadLetterQueue() {
        Map<String, Object> target = onlyTarget(direct);

        assertThat(target.get("Arn")).isEqualTo(Map.of("Ref", FUNCTION + ".Alias"));
        assertThat(target.get("DeadLetterConfig")).isEqualTo(Map.of("Arn", getAtt("RuleDeadLetterQueue", "Arn")));
        assertThat(target.get("RetryPolicy")).isNotNull();
        assertThat(direct.exists("StageEventsRuleInvokePermission")).isTrue();
        assertThat(direct.exists("IngestQueueEventSource")).isFalse();
    }

    @Test
    void ruleFillsTheIngestQueueInQueueModeWhichTheAliasConsumesWithPartialBatchFailures() {
        Map<String, Object> target = onlyTarget(queue);
        Map<String, Object> source = queue.properties("IngestQueueEventSource");
        Map<String, Object> written = template.properties("IngestQueueEventSource");

        assertThat(target.get("Arn")).isEqualTo(getAtt("IngestQueue", "Arn"));
        assertThat(target.get("DeadLetterConfig")).isEqualTo(Map.of("Arn", getAtt("RuleDeadLetterQueue", "Arn")));
        assertThat(queue.exists("StageEventsRuleInvokePermission")).isFalse();
        assertThat(source.get("FunctionName")).isEqualTo(Map.of("Ref", FUNCTION + ".Alias"));
        assertThat(source.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures"));
        assertThat(written.get("BatchSize")).isEqualTo(Map.of("Ref", "QueueBatchSize"));
        assertThat(written.get("MaximumBatchingWindowInSeconds"))
                .isEqualTo(Map.of("Ref", "QueueMaximumBatchingWindowSeconds"));
        assertThat(written.get("ScalingConfig")).isEqualTo(Map.of("MaximumConcurrency",
                Map.of("Ref", "QueueMaximumConcurrency")));
    }

    // --- failure handling

    @Test
    void lambdaRetriesAFailedEventTwiceThenKeepsItInTheFailureQueue() {
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) direct.properties(FUNCTION).get("EventInvokeConfig");

        assertThat(config.get("MaximumRetryAttempts")).isEqualTo(2);
        assertThat(config.get("MaximumEventAgeInSeconds")).isNotNull();
        assertThat(config.get("DestinationConfig")).isEqualTo(Map.of("OnFailure",
                Map.of("Type", "SQS", "Destination", getAtt("FailureQueue", "Arn"))));
    }

    @Test
    void queueModeMovesAMessageToItsDeadLetterQueueAfterRepeatedFailures() {
        @SuppressWarnings("unchecked")
        Map<String, Object> redrive = (Map<String, Object>) queue.properties("IngestQueue").get("RedrivePolicy");

        assertThat(redrive.get("deadLetterTargetArn")).isEqualTo(getAtt("IngestDeadLetterQueue", "Arn"));
        assertThat((Integer) redrive.get("maxReceiveCount")).isGreaterThanOrEqualTo(5);
    }

    @Test
    void everyQueueIsEncryptedAndEveryDeadLetterQueueKeepsMessagesFourteenDays() {
        List<String> queues = queue.resourcesOfType("AWS::SQS::Queue");

        assertThat(queues).contains("FailureQueue", "RuleDeadLetterQueue", "IngestQueue", "IngestDeadLetterQueue");
        for (String name : queues) {
            assertThat(queue.properties(name).get("SqsManagedSseEnabled")).as(name).isEqualTo(true);
        }
        for (String name : List.of("FailureQueue", "RuleDeadLetterQueue", "IngestDeadLetterQueue")) {
            assertThat(queue.properties(name).get("MessageRetentionPeriod")).as(name).isEqualTo(1_209_600);
        }
    }

    @Test
    void ingestQueueVisibilityIsAtLeastSixFunctionTimeoutsPlusTheLongestBatchingWindow() {
        @SuppressWarnings("unchecked")
        Map<String, Object> visibility = (Map<String, Object>) ((Map<String, Object>) template.document()
                .get("Mappings")).get("QueueVisibility");
        List<?> timeouts = (List<?>) template.parameter("FunctionTimeout").get("AllowedValues");
        int longestWindow = (Integer) template.parameter("QueueMaximumBatchingWindowSeconds").get("MaxValue");

        assertThat(visibility.keySet()).containsExactlyInAnyOrderElementsOf(
                timeouts.stream().map(String::valueOf).toList());
        for (Object timeout : timeouts) {
            int seconds = (Integer) ((Map<?, ?>) visibility.get(String.valueOf(timeout))).get("Seconds");
            assertThat(seconds).as("timeout " + timeout).isGreaterThanOrEqualTo(6 * (Integer) timeout + longestWindow)
                    .isLessThanOrEqualTo(SQS_LONGEST_VISIBILITY_SECONDS);
        }
    }

    /** A timeout at or under the start margin would report every message of every batch failed, unattempted. */
    @Test
    void everyAllowedFunctionTimeoutLetsAQueueBatchStartItsFirstMessage() {
        List<?> timeouts = (List<?>) template.parameter("FunctionTimeout").get("AllowedValues");

        assertThat(timeouts).allSatisfy(timeout -> assertThat(Duration.ofSeconds((Integer) timeout))
                .isGreaterThanOrEqualTo(StageEventHandler.MESSAGE_START_MARGIN.plus(FIRST_MESSAGE_SLACK)));
    }

    // --- permissions

    @Test
    void dynamoDbActionsGrantedAreExactlyTheActionsTheCodeCalls() {
        Set<String> granted = new TreeSet<>();
        for (Deployment mode : List.of(direct, queue)) {
            mode.roleStatements(ROLE).stream()
                    .flatMap(statement -> actions(statement).stream())
                    .filter(action -> action.startsWith("dynamodb:"))
                    .forEach(granted::add);
        }

        assertThat(granted).isEqualTo(dynamoDbActionsTheCodeCalls());
    }

    @Test
    void dynamoDbAccessIsOnTheTableAloneNeverAnIndex() {
        List<Map<String, Object>> dynamoDb = direct.roleStatements(ROLE).stream()
                .filter(statement -> actions(statement).stream().anyMatch(action -> action.startsWith("dynamodb:")))
                .toList();

        assertThat(dynamoDb).isNotEmpty().allSatisfy(statement ->
                assertThat(statement.get("Resource")).isEqualTo(getAtt(TABLE, "Arn")));
    }

    /** A replay reads and forgets kept events: only in their partitions, whatever the code asks for. */
    @Test
    void queryAndDeleteAreGrantedOnlyOnTheKeptEventsPartitions() {
        List<Map<String, Object>> replay = direct.roleStatements(ROLE).stream()
                .filter(statement -> actions(statement).contains("dynamodb:Query")
                        || actions(statement).contains("dynamodb:DeleteItem"))
                .toList();

        assertThat(replay).singleElement().satisfies(statement -> assertThat(statement.get("Condition"))
                .isEqualTo(Map.of("ForAllValues:StringLike",
                        Map.of("dynamodb:LeadingKeys", List.of(TableDesign.UNRECOGNIZED_PREFIX + "*")))));
    }

    @Test
    void theUnrecognizedEventsAlarmWatchesTheMetricTheCodeWrites() {
        Map<String, Object> alarm = direct.properties("UnrecognizedEventsAlarm");

        assertThat(alarm.get("MetricName")).isEqualTo(StageEventMetrics.UNRECOGNIZED_EVENTS);
        assertThat(alarm.get("Threshold")).isEqualTo(0);
        assertThat(alarm).doesNotContainKey("Dimensions");
    }

    @Test
    void noStatementOfAnyRoleGrantsAWildcardAction() {
        for (Deployment mode : List.of(direct, queue)) {
            for (String role : mode.resourcesOfType("AWS::IAM::Role")) {
                assertThat(mode.roleStatements(role)).as(role).allSatisfy(statement ->
                        assertThat(actions(statement)).noneMatch(action -> action.contains("*")));
            }
        }
    }

    @Test
    void noRoleHasManagedPoliciesAndNoFunctionHasSamPolicies() {
        assertThat(template.resourcesOfType("AWS::IAM::Role")).contains(ROLE, RECONCILER_ROLE, SCHEDULE_ROLE)
                .allSatisfy(role -> assertThat(template.properties(role)).doesNotContainKey("ManagedPolicyArns"));
        assertThat(template.resourcesOfType("AWS::Serverless::Function")).containsExactlyInAnyOrder(FUNCTION,
                RECONCILER).allSatisfy(function -> assertThat(template.properties(function))
                .doesNotContainKeys("Policies"));
    }

    @Test
    void sqsConsumeActionsAreGrantedOnlyInQueueModeAndOnlyOnTheIngestQueue() {
        List<String> consume = List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes");

        assertThat(sqsStatements(direct)).containsExactly(
                Map.entry(List.of("sqs:SendMessage"), getAtt("FailureQueue", "Arn")));
        assertThat(sqsStatements(queue)).containsExactlyInAnyOrder(
                Map.entry(List.of("sqs:SendMessage"), getAtt("FailureQueue", "Arn")),
                Map.entry(consume, getAtt("IngestQueue", "Arn")));
    }

    @Test
    void queuesThatEventBridgeWritesToAdmitOnlyTheStageEventsRule() {
        for (String policy : List.of("RuleDeadLetterQueuePolicy", "IngestQueuePolicy")) {
            List<Map<String, Object>> allows = queue.policyStatements(policy).stream()
                    .filter(statement -> "Allow".equals(statement.get("Effect")))
                    .toList();

            assertThat(allows).as(policy).singleElement().satisfies(statement -> {
                assertThat(statement.get("Principal")).isEqualTo(Map.of("Service", "events.amazonaws.com"));
                assertThat(statement.get("Action")).isEqualTo("sqs:SendMessage");
                assertThat(statement.get("Condition")).isEqualTo(
                        Map.of("ArnEquals", Map.of("aws:SourceArn", getAtt(RULE, "Arn"))));
            });
        }
    }

    // --- the reconciler

    /** Fails until the reconciler's handler is on the class path. */
    @Test
    void reconcilerHandlerNamesAPublicHandleRequestMethodOfAClassLambdaCanConstruct() throws Exception {
        String[] handler = ((String) direct.properties(RECONCILER).get("Handler")).split("::");

        Class<?> type = Class.forName(handler[0]);

        assertThat(Modifier.isPublic(type.getModifiers())).isTrue();
        assertThat(type.getConstructor().getParameterCount()).isZero();
        assertThat(type.getMethods()).extracting(Method::getName).contains(handler[1]);
    }

    @Test
    void reconcilerRunsTheStageEventsFunctionsCodeOnArmTracedWithoutSnapStart() {
        Map<String, Object> reconciler = direct.properties(RECONCILER);
        Map<String, Object> function = direct.properties(FUNCTION);

        assertThat(reconciler.get("CodeUri")).isEqualTo(function.get("CodeUri"));
        assertThat(reconciler.get("Runtime")).isEqualTo(function.get("Runtime"));
        assertThat(reconciler.get("Architectures")).isEqualTo(List.of("arm64"));
        assertThat(reconciler.get("Tracing")).isEqualTo("Active");
        assertThat(reconciler).doesNotContainKeys("SnapStart", "AutoPublishAlias");
    }

    @Test
    void reconcilerRunsOneAtATimeForAtMostFiveMinutes() {
        Map<String, Object> reconciler = direct.properties(RECONCILER);

        assertThat(reconciler.get("ReservedConcurrentExecutions")).isEqualTo(1);
        assertThat(reconciler.get("Timeout")).isEqualTo(300);
    }

    /** A run must be over before the next starts; and "rate(1 minutes)" would not parse. */
    @Test
    void everyAllowedIntervalIsAtLeastTheReconcilersTimeout() {
        int timeout = (Integer) direct.properties(RECONCILER).get("Timeout");

        assertThat((List<?>) template.parameter("ReconciliationIntervalMinutes").get("AllowedValues"))
                .allSatisfy(minutes -> assertThat((Integer) minutes * 60).isGreaterThanOrEqualTo(timeout));
    }

    @Test
    void reconcilerEnvironmentHasTheRecorderSettingsTheReconciliationSettingsAndEmptyEndpoints() {
        Map<String, Object> environment = environment(direct, RECONCILER);
        Map<String, Object> written = environment(template.properties(RECONCILER));
        Map<String, Object> recorder = environment(template.properties(FUNCTION));

        assertThat(environment.keySet()).containsExactlyInAnyOrder("TABLE_NAME", "RETENTION_DAYS", "LOG_LEVEL",
                "METRICS_NAMESPACE", "METRICS_STAGE_DIMENSION", "DYNAMODB_ENDPOINT", "RECONCILIATION_STAGE_ARNS",
                "RECONCILIATION_LOOKBACK_HOURS", "RECONCILIATION_REQUESTS_PER_SECOND", "IVS_ENDPOINT");
        for (String shared : List.of("TABLE_NAME", "RETENTION_DAYS", "LOG_LEVEL", "METRICS_NAMESPACE",
                "METRICS_STAGE_DIMENSION", "DYNAMODB_ENDPOINT")) {
            assertThat(written.get(shared)).as(shared).isEqualTo(recorder.get(shared));
        }
        assertThat(written.get("RECONCILIATION_LOOKBACK_HOURS"))
                .isEqualTo(Map.of("Ref", "ReconciliationLookbackHours"));
        assertThat(written.get("RECONCILIATION_REQUESTS_PER_SECOND"))
                .isEqualTo(Map.of("Ref", "ReconciliationRequestsPerSecond"));
        assertThat(environment.get("IVS_ENDPOINT")).isEqualTo("");
        assertThat(environment.get("DYNAMODB_ENDPOINT")).isEqualTo("");
    }

    @Test
    void reconcilerReadsEveryStageWhenNoStageArnsAreGivenAndOtherwiseTheListedOnes() {
        Deployment listed = new Deployment(template, Map.of("StageArns", STAGE_ARN
                + ",arn:aws:ivs:us-west-2:123456789012:stage/Other1stage"));

        assertThat(environment(direct, RECONCILER).get("RECONCILIATION_STAGE_ARNS")).isEqualTo("");
        assertThat(environment(listed, RECONCILER).get("RECONCILIATION_STAGE_ARNS"))
                .isEqualTo(STAGE_ARN + ",arn:aws:ivs:us-west-2:123456789012:stage/Other1stage");
    }

    @Test
    void theScheduleStartsTheReconcilerEveryIntervalOnTime() {
        Map<String, Object> schedule = direct.properties(SCHEDULE);
        @SuppressWarnings("unchecked")
        Map<String, Object> target = (Map<String, Object>) schedule.get("Target");

        assertThat(schedule.get("ScheduleExpression"))
                .isEqualTo(Map.of("Fn::Sub", "rate(${ReconciliationIntervalMinutes} minutes)"));
        assertThat(schedule.get("FlexibleTimeWindow")).isEqualTo(Map.of("Mode", "OFF"));
        assertThat(schedule.get("State")).isEqualTo("ENABLED");
        assertThat(target.get("Arn")).isEqualTo(getAtt(RECONCILER, "Arn"));
        assertThat(target.get("RoleArn")).isEqualTo(getAtt(SCHEDULE_ROLE, "Arn"));
    }

    /** The code checkpoints, so a run that failed or never started is the next run's work. */
    @Test
    void neitherTheScheduleNorLambdaRetriesARun() {
        @SuppressWarnings("unchecked")
        Map<String, Object> target = (Map<String, Object>) direct.properties(SCHEDULE).get("Target");
        @SuppressWarnings("unchecked")
        Map<String, Object> invokeConfig = (Map<String, Object>) direct.properties(RECONCILER)
                .get("EventInvokeConfig");

        assertThat(target.get("RetryPolicy")).isEqualTo(Map.of("MaximumRetryAttempts", 0));
        assertThat(invokeConfig.get("MaximumRetryAttempts")).isEqualTo(0);
    }

    @Test
    void theSchedulesRoleMayOnlyInvokeTheReconciler() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> trust = (List<Map<String, Object>>) ((Map<String, Object>) direct
                .properties(SCHEDULE_ROLE).get("AssumeRolePolicyDocument")).get("Statement");

        assertThat(trust).singleElement().satisfies(statement ->
                assertThat(statement.get("Principal")).isEqualTo(Map.of("Service", "scheduler.amazonaws.com")));
        assertThat(direct.roleStatements(SCHEDULE_ROLE)).singleElement().satisfies(statement -> {
            assertThat(actions(statement)).containsExactly("lambda:InvokeFunction");
            assertThat(statement.get("Resource")).isEqualTo(getAtt(RECONCILER, "Arn"));
        });
    }

    @Test
    void reconcilerHasARoleOfItsOwn() {
        assertThat(direct.properties(RECONCILER).get("Role")).isEqualTo(getAtt(RECONCILER_ROLE, "Arn"));
    }

    /**
     * What the reconciler's code calls, on the wire: a run over the sample world that backfills and merges (the
     * token exchange is in the table in a poorer form first), reads a checkpoint, and marks its sessions.
     */
    @Test
    void reconcilerRoleGrantsExactlyTheActionsItsCodeCalls() throws Exception {
        LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
        String table = dynamoDb.createTable();
        new LocalFunction(dynamoDb.client(), table).invoke(
                SampleEvents.bytes(SampleWorld.eventBridgeFormOfTheTokenExchange()));
        Set<String> called = new TreeSet<>();
        DynamoDbClient recording = LocalDynamoDb.clientFor(dynamoDb.endpoint(), List.of(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                        ExecutionAttributes attributes) {
                called.add("dynamodb:" + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        }));
        try (IvsRealTimeStandIn standIn = IvsRealTimeStandIn.builder().world(SampleWorld.world())
                .credentials(LocalReconciler.CREDENTIALS).region(LocalDynamoDb.REGION).start();
             LocalReconciler reconciler = new LocalReconciler(recording, table, standIn.endpoint(),
                     Map.of(Configuration.RECONCILIATION_REQUESTS_PER_SECOND, "4"),
                     Clock.fixed(SampleWorld.NEXT_DAY, ZoneOffset.UTC))) {
            reconciler.run();
            standIn.requests().forEach(request -> called.add("ivs:" + request.operation()));
        }

        List<String> granted = direct.roleStatements(RECONCILER_ROLE).stream()
                .flatMap(statement -> actions(statement).stream())
                .filter(action -> action.startsWith("dynamodb:") || action.startsWith("ivs:"))
                .sorted().toList();
        assertThat(granted).containsExactlyElementsOf(called);
    }

    /** Beyond its own logs and X-Ray: reads and writes of single items, and the four IVS List operations. */
    @Test
    void reconcilerRoleGrantsExactlyTheReconcilersDynamoDbAndIvsActions() {
        for (Deployment mode : List.of(direct, queue, new Deployment(template, Map.of("StageArns", STAGE_ARN)))) {
            List<String> granted = mode.roleStatements(RECONCILER_ROLE).stream()
                    .flatMap(statement -> actions(statement).stream())
                    .toList();

            assertThat(granted).containsExactlyInAnyOrder(
                    "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                    "ivs:ListStages", "ivs:ListStageSessions", "ivs:ListParticipants", "ivs:ListParticipantEvents",
                    "logs:CreateLogStream", "logs:PutLogEvents",
                    "xray:PutTraceSegments", "xray:PutTelemetryRecords");
        }
    }

    @Test
    void reconcilerWritesItsOwnLogGroupAndTheTableAloneNeverAnIndex() {
        Map<String, Object> resources = resourcesByAction(direct, RECONCILER_ROLE);

        for (String action : List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")) {
            assertThat(resources.get(action)).as(action).isEqualTo(getAtt(TABLE, "Arn"));
        }
        for (String action : List.of("logs:CreateLogStream", "logs:PutLogEvents")) {
            assertThat(resources.get(action)).as(action).isEqualTo(getAtt("ReconcilerFunctionLogGroup", "Arn"));
        }
    }

    /**
     * The Service Authorization Reference gives the three reads the Stage resource type; ListStages names no
     * stage, so it is granted on "*".
     */
    @Test
    void ivsReadsAreOnTheAccountsStagesOrOnlyTheListedOnes() {
        Deployment listed = new Deployment(template, Map.of("StageArns", STAGE_ARN
                + ",arn:aws:ivs:us-west-2:123456789012:stage/Other1stage"));
        List<String> reads = List.of("ivs:ListStageSessions", "ivs:ListParticipants", "ivs:ListParticipantEvents");

        for (String action : reads) {
            assertThat(resourcesByAction(direct, RECONCILER_ROLE).get(action)).as(action).isEqualTo(Map.of(
                    "Fn::Sub", "arn:${AWS::Partition}:ivs:${AWS::Region}:${AWS::AccountId}:stage/*"));
            assertThat(resourcesByAction(listed, RECONCILER_ROLE).get(action)).as(action)
                    .isEqualTo(List.of(STAGE_ARN, "arn:aws:ivs:us-west-2:123456789012:stage/Other1stage"));
        }
        assertThat(resourcesByAction(listed, RECONCILER_ROLE).get("ivs:ListStages")).isEqualTo("*");
    }

    @Test
    void everyReconcilerResourceAndOutputExistsOnlyWhenReconciliationIsEnabled() {
        @SuppressWarnings("unchecked")
        Map<String, Object> output = (Map<String, Object>) ((Map<String, Object>) template.document()
                .get("Outputs")).get("ReconcilerFunctionName");

        assertThat(template.resources().keySet().stream().filter(id -> id.startsWith("Reconcil")))
                .containsExactlyInAnyOrderElementsOf(RECONCILER_RESOURCES);
        for (String id : RECONCILER_RESOURCES) {
            assertThat(resource(id).get("Condition")).as(id).isEqualTo("ReconciliationEnabled");
            assertThat(direct.exists(id)).as(id).isTrue();
            assertThat(withoutReconciler.exists(id)).as(id).isFalse();
        }
        assertThat(output.get("Condition")).isEqualTo("ReconciliationEnabled");
    }

    @Test
    void reconcilerErrorsAlarmFiresOnAFailedRunAndClearsWithTheNextGoodOne() {
        Map<String, Object> alarm = new Deployment(template, Map.of("ReconciliationIntervalMinutes", "60"))
                .properties("ReconcilerErrorsAlarm");

        assertThat(alarm.get("Namespace")).isEqualTo("AWS/Lambda");
        assertThat(alarm.get("MetricName")).isEqualTo("Errors");
        assertThat(alarm.get("Dimensions")).isEqualTo(List.of(Map.of("Name", "FunctionName",
                "Value", Map.of("Ref", RECONCILER))));
        assertThat(alarm.get("Statistic")).isEqualTo("Sum");
        assertThat(alarm.get("Period")).isEqualTo(3600);
        assertThat(alarm.get("EvaluationPeriods")).isEqualTo(1);
        assertThat(alarm.get("Threshold")).isEqualTo(1);
        assertThat(alarm.get("ComparisonOperator")).isEqualTo("GreaterThanOrEqualToThreshold");
        assertThat(alarm.get("TreatMissingData")).isEqualTo("notBreaching");
    }

    @Test
    void backlogAlarmFiresWhenFourRunsInARowStoppedWithSessionsPending() {
        Deployment hourly = new Deployment(template, Map.of("ReconciliationIntervalMinutes", "60"));
        Map<String, Object> alarm = hourly.properties("ReconciliationBacklogAlarm");

        assertThat(alarm.get("Namespace")).isEqualTo(environment(hourly, RECONCILER).get("METRICS_NAMESPACE"));
        assertThat(alarm.get("MetricName")).isEqualTo("SessionsPending");
        assertThat(alarm).doesNotContainKey("Dimensions");
        assertThat(alarm.get("Statistic")).isEqualTo("Maximum");
        assertThat(alarm.get("Period")).isEqualTo(3600);
        assertThat(alarm.get("EvaluationPeriods")).isEqualTo(4);
        assertThat(alarm.get("DatapointsToAlarm")).isEqualTo(4);
        assertThat(alarm.get("Threshold")).isEqualTo(0);
        assertThat(alarm.get("ComparisonOperator")).isEqualTo("GreaterThanThreshold");
    }

    @Test
    void reconcilerAlarmsNotifyAsTheOtherAlarmsDo() {
        Deployment notifying = new Deployment(template, Map.of("AlarmEmail", "ops@example.com"));

        for (String alarm : List.of("ReconcilerErrorsAlarm", "ReconciliationBacklogAlarm")) {
            assertThat(notifying.properties(alarm).get("AlarmActions")).as(alarm)
                    .isEqualTo(List.of(Map.of("Ref", "AlarmTopic")));
            assertThat(notifying.properties(alarm).get("OKActions")).as(alarm)
                    .isEqualTo(List.of(Map.of("Ref", "AlarmTopic")));
        }
    }

    /** CloudWatch: a period under an hour may span a day in all, a longer one seven days. */
    @Test
    void everyAllowedIntervalIsAnAlarmPeriodFourOfWhichCloudWatchCanEvaluate() {
        List<?> intervals = (List<?>) template.parameter("ReconciliationIntervalMinutes").get("AllowedValues");

        for (Object minutes : intervals) {
            Map<String, Object> alarm = new Deployment(template,
                    Map.of("ReconciliationIntervalMinutes", String.valueOf(minutes)))
                    .properties("ReconciliationBacklogAlarm");
            int period = (Integer) alarm.get("Period");
            int span = period * (Integer) alarm.get("EvaluationPeriods");

            assertThat(period).as("minutes " + minutes).isEqualTo((Integer) minutes * 60);
            assertThat(span).as("minutes " + minutes)
                    .isLessThanOrEqualTo(period < 3600 ? 86_400 : 7 * 86_400);
        }
    }

    // --- dashboard and alarms

    @Test
    void dashboardBodyIsValidJsonInBothModesWithAndWithoutTheReconciler() throws Exception {
        for (Deployment mode : List.of(direct, queue, withoutReconciler)) {
            JsonNode body = new ObjectMapper().readTree(dashboardBody(mode));

            assertThat(body.get("widgets").findValuesAsText("title")).contains(
                    "Participant errors by error code", "Failure queues: messages waiting");
        }
    }

    @Test
    void dashboardFindsErrorCodesBySearchSoNewCodesNeedNoTemplateChange() {
        assertThat(dashboardBody(direct)).contains(
                "SEARCH('{\\\"IVS/StageEvents\\\",ErrorCode} MetricName=\\\"ParticipantErrors\\\"'");
    }

    @Test
    void dashboardHasAReconciliationRowOnlyWithTheReconciler() throws Exception {
        JsonNode with = new ObjectMapper().readTree(dashboardBody(direct));
        JsonNode without = new ObjectMapper().readTree(dashboardBody(withoutReconciler));

        assertThat(with.get("widgets").findValuesAsText("markdown")).anyMatch(text -> text.contains("Reconciliation"));
        assertThat(with.get("widgets").findValuesAsText("title")).filteredOn(title -> title.startsWith("Reconcil"))
                .hasSize(5);
        assertThat(without.get("widgets").findValuesAsText("title")).noneMatch(title -> title.startsWith("Reconcil"));
        assertThat(without.get("widgets").findValues("markdown")).isEmpty();
    }

    @Test
    void reconciliationRowChartsEveryReconcilerMetricAndBackfillsByEventNameBySearch() {
        String body = dashboardBody(direct);

        for (String metric : List.of("EventsBackfilled", "SessionsReconciled", "SessionsPending", "ApiRequests",
                "ApiRequestsThrottled")) {
            assertThat(body).as(metric).contains("\"IVS/StageEvents\", \"" + metric + "\"");
        }
        assertThat(body).contains(
                "SEARCH('{\\\"IVS/StageEvents\\\",EventName} MetricName=\\\"EventsBackfilled\\\"', 'Sum', 900)");
        assertThat(body).contains("\"Errors\", \"FunctionName\", \"placeholder\"",
                "\"Duration\", \"FunctionName\", \"placeholder\"");
    }

    @Test
    void theFailureQueuesAndTheFunctionHaveAlarms() {
        assertThat(direct.resourcesOfType("AWS::CloudWatch::Alarm")).contains("FailureQueueNotEmptyAlarm",
                "RuleDeadLetterQueueNotEmptyAlarm", "FunctionErrorsAlarm", "ParticipantErrorsAlarm",
                "UnrecognizedEventsAlarm");
        assertThat(queue.resourcesOfType("AWS::CloudWatch::Alarm")).contains("IngestDeadLetterQueueNotEmptyAlarm");
    }

    // --- parameters and outputs

    @Test
    void everyParameterIsDescribedAndConstrained() {
        assertThat(template.parameters()).isNotEmpty().allSatisfy((name, parameter) -> {
            assertThat((String) parameter.get("Description")).as(name).isNotBlank();
            // A list parameter's pattern would apply to the whole list, not to each ARN in it.
            if (!"CommaDelimitedList".equals(parameter.get("Type"))) {
                assertThat(parameter.keySet()).as(name)
                        .containsAnyOf("AllowedValues", "AllowedPattern", "MinValue", "MaxValue");
            }
        });
    }

    @Test
    void reconciliationIsOnByDefaultAndCanBeTurnedOff() {
        assertThat(template.parameter("EnableReconciliation"))
                .containsEntry("Default", "true")
                .containsEntry("AllowedValues", List.of("true", "false"));
    }

    @Test
    void reconcilerRunsEveryFifteenMinutesByDefaultAndEveryFiveToFourteenHundredFortyAtMost() {
        Map<String, Object> interval = template.parameter("ReconciliationIntervalMinutes");
        List<Integer> allowed = ((List<?>) interval.get("AllowedValues")).stream().map(Integer.class::cast).toList();

        assertThat(interval.get("Default")).isEqualTo(15);
        assertThat(allowed).contains(15);
        assertThat(allowed.stream().mapToInt(Integer::intValue).min()).hasValue(5);
        assertThat(allowed.stream().mapToInt(Integer::intValue).max()).hasValue(1440);
    }

    @Test
    void reconcilerLooksBackADayByDefaultAndAnHourToTwoWeeks() {
        assertThat(template.parameter("ReconciliationLookbackHours"))
                .containsEntry("Default", 24).containsEntry("MinValue", 1).containsEntry("MaxValue", 336);
    }

    /** The IVS quota is the customer's applications' too: the reconciler may never take all of it. */
    @Test
    void reconcilerSendsOneRequestASecondByDefaultAndNeverTheWholeIvsQuota() {
        Map<String, Object> rate = template.parameter("ReconciliationRequestsPerSecond");

        assertThat(rate).containsEntry("Default", 1).containsEntry("MinValue", 0.1);
        assertThat(((Number) rate.get("MaxValue")).doubleValue()).isEqualTo(4.0)
                .isLessThan(IVS_LIST_QUOTA_PER_SECOND);
    }

    @Test
    void reconciliationParametersHaveAGroupOfTheirOwn() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>)
                template.document().get("Metadata")).get("AWS::CloudFormation::Interface")).get("ParameterGroups");

        assertThat(groups).filteredOn(group -> group.get("Label").equals(Map.of("default", "Reconciliation")))
                .singleElement().extracting(group -> group.get("Parameters"))
                .isEqualTo(List.of("EnableReconciliation", "ReconciliationIntervalMinutes",
                        "ReconciliationLookbackHours", "ReconciliationRequestsPerSecond"));
    }

    @Test
    void outputsNameTheTableTheFunctionItsAliasTheQueuesAndTheDashboard() {
        @SuppressWarnings("unchecked")
        Map<String, Object> outputs = (Map<String, Object>) template.document().get("Outputs");

        assertThat(outputs).containsKeys("TableName", "TableArn", "FunctionArn", "FunctionAliasArn",
                "FailureQueueUrl", "RuleDeadLetterQueueUrl", "IngestQueueUrl", "IngestDeadLetterQueueUrl",
                "DashboardUrl");
    }

    // --- helpers

    /** The dashboard JSON as CloudFormation would substitute it, with a placeholder for every attribute. */
    @SuppressWarnings("unchecked")
    private static String dashboardBody(Deployment mode) {
        Object body = ((Map<String, Object>) mode.properties("Dashboard").get("DashboardBody")).get("Fn::Sub");
        return substitute(body).replace("${MetricsNamespace}", "IVS/StageEvents")
                .replaceAll("\\$\\{[^}]+}", "placeholder");
    }

    /** An Fn::Sub's text with its own variables, themselves Fn::Subs or values, substituted; or a plain value. */
    @SuppressWarnings("unchecked")
    private static String substitute(Object sub) {
        if (!(sub instanceof List<?> list)) {
            return sub instanceof Map<?, ?> map && map.containsKey("Fn::Sub") ? substitute(map.get("Fn::Sub"))
                    : String.valueOf(sub);
        }
        String text = (String) list.get(0);
        for (Map.Entry<String, Object> variable : ((Map<String, Object>) list.get(1)).entrySet()) {
            text = text.replace("${" + variable.getKey() + "}", substitute(variable.getValue()));
        }
        return text;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> resource(String logicalId) {
        return (Map<String, Object>) template.resources().get(logicalId);
    }

    private static Map<String, Object> index(String name, String hashKey, String rangeKey) {
        return Map.of("IndexName", name,
                "KeySchema", List.of(Map.of("AttributeName", hashKey, "KeyType", "HASH"),
                        Map.of("AttributeName", rangeKey, "KeyType", "RANGE")),
                "Projection", Map.of("ProjectionType", "ALL"));
    }

    private static Map<String, Object> getAtt(String resource, String attribute) {
        return Map.of("Fn::GetAtt", resource + "." + attribute);
    }

    private static Map<String, Object> environment(Deployment mode, String function) {
        return environment(mode.properties(function));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> function) {
        return (Map<String, Object>) ((Map<String, Object>) function.get("Environment")).get("Variables");
    }

    /** What each action of a role is granted on; an action granted twice fails the test. */
    private static Map<String, Object> resourcesByAction(Deployment mode, String role) {
        Map<String, Object> resources = new HashMap<>();
        for (Map<String, Object> statement : mode.roleStatements(role)) {
            for (String action : actions(statement)) {
                assertThat(resources.put(action, statement.get("Resource"))).as(action + " granted once").isNull();
            }
        }
        return resources;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyTarget(Deployment mode) {
        List<Object> targets = (List<Object>) mode.properties(RULE).get("Targets");
        assertThat(targets).hasSize(1);
        return (Map<String, Object>) targets.get(0);
    }

    private static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of((String) action);
    }

    private static List<Map.Entry<List<String>, Object>> sqsStatements(Deployment mode) {
        return mode.roleStatements(ROLE).stream()
                .filter(statement -> actions(statement).stream().anyMatch(action -> action.startsWith("sqs:")))
                .map(statement -> Map.entry(actions(statement), statement.get("Resource")))
                .collect(Collectors.toList());
    }

    private static JsonNode sampleJson(String sample) {
        return SampleEvents.json(sample);
    }

    /** Every item the function writes for the sample events, run in file order against DynamoDB Local. */
    private static List<Map<String, AttributeValue>> itemsWrittenForAllSamples(Map<String, String> environment) {
        LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
        String table = dynamoDb.createTable();
        LocalFunction function = new LocalFunction(dynamoDb.client(), table, environment);
        SampleEvents.allNames().forEach(function::invoke);
        return dynamoDb.allItems(table);
    }

    /**
     * The DynamoDB operations the code sends, observed on the wire: every sample event twice (so that the
     * duplicate and state-already-newer paths run too), the SQS batch sample, a replay of the kept events, and the
     * SnapStart priming hook.
     */
    private static Set<String> dynamoDbActionsTheCodeCalls() {
        LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
        String table = dynamoDb.createTable();
        Set<String> called = ConcurrentHashMap.newKeySet();
        DynamoDbClient recording = LocalDynamoDb.clientFor(dynamoDb.endpoint(), List.of(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                        ExecutionAttributes attributes) {
                called.add("dynamodb:" + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        }));
        LocalFunction function = new LocalFunction(recording, table, Map.of(Configuration.RETENTION_DAYS, "30"));
        for (int round = 0; round < 2; round++) {
            SampleEvents.allNames().forEach(function::invoke);
        }
        if (Files.exists(SampleEvents.DIRECTORY.resolve("sqs-batch.json"))) {
            function.invoke("sqs-batch.json");
        }
        // A poorer form of an event first, then the sample's richer one: the ledger merges the second into the first.
        ObjectNode poorer = SampleEvents.json("token-exchanged.json");
        ((ObjectNode) poorer.get("detail")).put("participant_id", "poorerFormFirst").put("event_time",
                "2026-03-14T18:06:12Z").remove("previous_token");
        ObjectNode richer = SampleEvents.json("token-exchanged.json");
        ((ObjectNode) richer.get("detail")).put("participant_id", "poorerFormFirst");
        function.invoke(SampleEvents.bytes(poorer));
        function.invoke(SampleEvents.bytes(richer));
        OlderVersion.kept(recording, table, "token-exchanged.json");
        function.invoke("{\"replayUnrecognized\":{\"from\":\"2026-03-14\",\"to\":\"2026-03-14\"}}"
                .getBytes(StandardCharsets.UTF_8));
        new StageEventHandler(Configuration.fromEnvironment(Map.of(Configuration.TABLE_NAME, table,
                Configuration.AWS_REGION, LocalDynamoDb.REGION, Configuration.RETENTION_DAYS, "30")), recording,
                document -> { }, new Log(Log.Level.INFO, System.out), Clock.systemUTC()).priming().prime();
        return new TreeSet<>(called);
    }

    /**
     * The template as CloudFormation would deploy it with the given parameter values (the others at their
     * defaults): conditions decided, Fn::If and Fn::FindInMap resolved, AWS::NoValue removed, parameter references
     * replaced. Resource references and attributes stay as they are written.
     */
    private static final class Deployment {
        private static final Object NO_VALUE = new Object();

        private final CloudFormationTemplate template;
        private final Map<String, Object> parameters = new HashMap<>();

        Deployment(CloudFormationTemplate template, Map<String, String> overrides) {
            this.template = template;
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> declared =
                    (Map<String, Map<String, Object>>) template.document().get("Parameters");
            declared.forEach((name, parameter) -> {
                String value = overrides.containsKey(name) ? overrides.get(name)
                        : String.valueOf(parameter.getOrDefault("Default", ""));
                parameters.put(name, "CommaDelimitedList".equals(parameter.get("Type"))
                        ? Arrays.asList(value.split(",", -1)) : value);
            });
            assertThat(declared.keySet()).containsAll(overrides.keySet());
        }

        @SuppressWarnings("unchecked")
        boolean exists(String logicalId) {
            Map<String, Object> resource = (Map<String, Object>) template.resources().get(logicalId);
            assertThat(resource).as("resource " + logicalId).isNotNull();
            Object condition = resource.get("Condition");
            return condition == null || condition((String) condition);
        }

        List<String> resourcesOfType(String type) {
            return template.resourcesOfType(type).stream().filter(this::exists).toList();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> properties(String logicalId) {
            assertThat(exists(logicalId)).as(logicalId + " exists in this deployment").isTrue();
            return (Map<String, Object>) resolve(template.properties(logicalId));
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list(String logicalId, String property) {
            return (List<Map<String, Object>>) properties(logicalId).get(property);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> eventPattern(String rule) {
            return (Map<String, Object>) properties(rule).get("EventPattern");
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> roleStatements(String role) {
            List<Map<String, Object>> statements = new ArrayList<>();
            for (Map<String, Object> policy : (List<Map<String, Object>>) properties(role).get("Policies")) {
                statements.addAll(statements((Map<String, Object>) policy.get("PolicyDocument")));
            }
            return statements;
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> policyStatements(String queuePolicy) {
            return statements((Map<String, Object>) properties(queuePolicy).get("PolicyDocument"));
        }

        @SuppressWarnings("unchecked")
        private static List<Map<String, Object>> statements(Map<String, Object> document) {
            Object statement = document.get("Statement");
            return statement instanceof List<?> list ? (List<Map<String, Object>>) list
                    : List.of((Map<String, Object>) statement);
        }

        @SuppressWarnings("unchecked")
        private boolean condition(String name) {
            Map<String, Object> conditions = (Map<String, Object>) template.document().get("Conditions");
            assertThat(conditions).containsKey(name);
            return evaluate(conditions.get(name));
        }

        @SuppressWarnings("unchecked")
        private boolean evaluate(Object expression) {
            Map<String, Object> function = (Map<String, Object>) expression;
            Map.Entry<String, Object> call = function.entrySet().iterator().next();
            List<Object> arguments = call.getValue() instanceof List<?> list ? (List<Object>) list : List.of();
            return switch (call.getKey()) {
                case "Fn::Equals" -> Objects.equals(String.valueOf(resolve(arguments.get(0))),
                        String.valueOf(resolve(arguments.get(1))));
                case "Fn::Not" -> !evaluate(arguments.get(0));
                case "Fn::And" -> arguments.stream().allMatch(this::evaluate);
                case "Fn::Or" -> arguments.stream().anyMatch(this::evaluate);
                case "Condition" -> condition((String) call.getValue());
                default -> throw new IllegalArgumentException("condition function not implemented: " + call.getKey());
            };
        }

        @SuppressWarnings("unchecked")
        private Object resolve(Object node) {
            if (node instanceof Map<?, ?> map) {
                if (map.size() == 1 && map.containsKey("Fn::If")) {
                    List<Object> arguments = (List<Object>) map.get("Fn::If");
                    return resolve(condition((String) arguments.get(0)) ? arguments.get(1) : arguments.get(2));
                }
                if (map.size() == 1 && map.get("Ref") instanceof String name) {
                    if (name.equals("AWS::NoValue")) {
                        return NO_VALUE;
                    }
                    return parameters.containsKey(name) ? parameters.get(name) : node;
                }
                if (map.size() == 1 && map.containsKey("Fn::FindInMap")) {
                    List<Object> arguments = (List<Object>) resolve(map.get("Fn::FindInMap"));
                    Map<String, Map<String, Map<String, Object>>> mappings =
                            (Map<String, Map<String, Map<String, Object>>>) template.document().get("Mappings");
                    return mappings.get((String) arguments.get(0)).get(String.valueOf(arguments.get(1)))
                            .get((String) arguments.get(2));
                }
                if (map.size() == 1 && map.containsKey("Fn::Join")) {
                    List<Object> arguments = (List<Object>) map.get("Fn::Join");
                    Object values = resolve(arguments.get(1));
                    if (values instanceof List<?> strings && strings.stream().allMatch(String.class::isInstance)) {
                        return String.join((String) arguments.get(0), (List<String>) strings);
                    }
                }
                Map<String, Object> resolved = new LinkedHashMap<>();
                map.forEach((key, value) -> {
                    Object result = resolve(value);
                    if (result != NO_VALUE) {
                        resolved.put((String) key, result);
                    }
                });
                return resolved;
            }
            if (node instanceof List<?> list) {
                List<Object> resolved = new ArrayList<>();
                for (Object element : list) {
                    Object result = resolve(element);
                    if (result != NO_VALUE) {
                        resolved.add(result);
                    }
                }
                return resolved;
            }
            return node;
        }
    }
}
