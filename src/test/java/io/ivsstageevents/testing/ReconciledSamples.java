package io.ivsstageevents.testing;

import io.ivsstageevents.Configuration;
import io.ivsstageevents.testing.ivs.IvsRealTimeStandIn;
import io.ivsstageevents.testing.ivs.SampleWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A table as the function and the reconciler leave it for the samples: every file of events/ delivered by
 * EventBridge, the sample world's token exchange delivered too (in EventBridge's poorer form), then one
 * reconciler run over the sample world. So it holds events from EventBridge alone (the samples' session), from
 * the API alone (the world's replication, which EventBridge lost) and from both (the world's exchange), a kept
 * event, and a reconciliation marker per session.
 */
public final class ReconciledSamples {
    private ReconciledSamples() {
    }

    /** A new table in dynamoDb, filled as above; its name. */
    public static String table(LocalDynamoDb dynamoDb) {
        String table = dynamoDb.createTable();
        LocalFunction function = new LocalFunction(dynamoDb.client(), table);
        SampleEvents.allNames().forEach(function::invoke);
        function.invoke(SampleEvents.bytes(SampleWorld.eventBridgeFormOfTheTokenExchange()));
        try (IvsRealTimeStandIn standIn = IvsRealTimeStandIn.builder().world(SampleWorld.world())
                .credentials(LocalReconciler.CREDENTIALS).region(LocalDynamoDb.REGION).start();
             LocalReconciler reconciler = new LocalReconciler(dynamoDb.client(), table, standIn.endpoint(),
                     Map.of(Configuration.RECONCILIATION_REQUESTS_PER_SECOND, "4"),
                     Clock.fixed(SampleWorld.NEXT_DAY, ZoneOffset.UTC))) {
            reconciler.run();
        } catch (IOException e) {
            throw new UncheckedIOException("the IVS stand-in did not start", e);
        }
        return table;
    }
}
