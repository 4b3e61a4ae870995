package io.ivsstageevents.report;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * ./stage-report: the report of one session of a deployed table, read with the default credentials chain through
 * the calls the template's SessionReportReadPolicy grants (TableReader). The page goes to --out; the summary to
 * stdout, or with --json the facts to stdout and the summary to stderr.
 */
public final class StageReport {
    private static final String USAGE = """
            usage: ./stage-report --table NAME --stage ARN [--session ID] [--region REGION] [--endpoint URL]
                                  [--out FILE] [--json] [--include-personal-data]
              --table NAME      the stack's table (its TableName output)
              --stage ARN       the stage
              --session ID      the session (default: the stage's latest session the reconciler has read; a
                                session still running has no marker yet, so name it)
              --region REGION   the table's Region (default: AWS_REGION, then AWS_DEFAULT_REGION)
              --endpoint URL    another DynamoDB, e.g. DynamoDB Local
              --out FILE        where the page goes (default stage-report.html)
              --json            the facts as one JSON object on stdout; the summary goes to stderr
              --include-personal-data  token attribute values, user ids and kept events' details too (by
                                default the page holds participant ids, capabilities, attribute keys and times)
            Credentials: the AWS SDK's default chain (environment, profile, SSO, instance or container role).
            Permissions: the stack's SessionReportReadPolicy output (Query and GetItem on the table).""";

    private StageReport() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), DefaultCredentialsProvider.builder().build(), System.out,
                System.err));
    }

    /** The exit status: 0 when the page is written, 1 when there is no session to report, 2 for a usage error. */
    public static int run(String[] args, Map<String, String> environment, AwsCredentialsProvider credentials,
                          PrintStream out, PrintStream err) {
        String table = null;
        String stage = null;
        String session = null;
        String region = environment.getOrDefault("AWS_REGION", environment.get("AWS_DEFAULT_REGION"));
        URI endpoint = null;
        Path page = Path.of("stage-report.html");
        boolean json = false;
        boolean personalData = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--table" -> table = value(args, ++i);
                    case "--stage" -> stage = value(args, ++i);
                    case "--session" -> session = value(args, ++i);
                    case "--region" -> region = value(args, ++i);
                    case "--endpoint" -> endpoint = URI.create(value(args, ++i));
                    case "--out" -> page = Path.of(value(args, ++i));
                    case "--json" -> json = true;
                    case "--include-personal-data" -> personalData = true;
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (table == null || stage == null) {
                throw new IllegalArgumentException("--table and --stage are needed");
            }
            if (region == null) {
                throw new IllegalArgumentException("no Region: give --region, or set AWS_REGION");
            }
        } catch (IllegalArgumentException e) {
            err.println("stage-report: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try (DynamoDbClient dynamoDb = client(region, endpoint, credentials)) {
            TableReader reader = new TableReader(dynamoDb, table);
            if (session == null) {
                Optional<String> latest = reader.latestReconciledSession(stage);
                if (latest.isEmpty()) {
                    err.println("stage-report: the reconciler has read no session of " + stage
                            + " in table " + table + ": give --session ID");
                    return 1;
                }
                session = latest.get();
            }
            Optional<SessionFacts> facts = reader.session(stage, session, personalData);
            if (facts.isEmpty()) {
                err.println("stage-report: table " + table + " holds no recorded event of session " + session
                        + " of " + stage);
                return 1;
            }
            SessionReport report = new SessionReport(List.of(facts.get()),
                    "table " + table + (endpoint == null ? " in " + region : " at " + endpoint), personalData);
            report.writePage(page, Instant.now());
            PrintStream summary = json ? err : out;
            report.summary(page).forEach(summary::println);
            if (json) {
                out.println(report.json(page));
            }
            return 0;
        }
    }

    /** As the function's client (DynamoDbClients), but with the caller's credentials and patient timeouts. */
    private static DynamoDbClient client(String region, URI endpoint, AwsCredentialsProvider credentials) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder().region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
