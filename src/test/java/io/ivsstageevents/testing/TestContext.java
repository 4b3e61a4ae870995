package io.ivsstageevents.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.IntSupplier;

/** The Lambda context the local fixtures hand their handlers: a fresh request id, and the time left they say. */
final class TestContext {
    private TestContext() {
    }

    static Context of(String functionName, IntSupplier remainingTimeMillis) {
        String requestId = UUID.randomUUID().toString();
        return new Context() {
            public String getAwsRequestId() { return requestId; }
            public String getLogGroupName() { return "/aws/lambda/" + functionName; }
            public String getLogStreamName() { return "local"; }
            public String getFunctionName() { return functionName; }
            public String getFunctionVersion() { return "$LATEST"; }
            public String getInvokedFunctionArn() {
                return "arn:aws:lambda:" + LocalDynamoDb.REGION + ":123456789012:function:" + functionName;
            }
            public CognitoIdentity getIdentity() { return null; }
            public ClientContext getClientContext() { return null; }
            public int getRemainingTimeInMillis() { return remainingTimeMillis.getAsInt(); }
            public int getMemoryLimitInMB() { return 1024; }
            public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    public void log(String message) { System.err.print(message); }
                    public void log(byte[] message) { System.err.print(new String(message, StandardCharsets.UTF_8)); }
                };
            }
        };
    }
}
