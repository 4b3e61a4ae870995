package io.ivsstageevents.bench.coldstart.naive;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;

/** A token as a nested map attribute, mapped by the Enhanced Client's bean introspection. */
@DynamoDbBean
public class TokenBean {
    private List<String> capabilities;
    private Map<String, String> attributes;
    private String userId;
    private String expirationTime;

    static TokenBean of(IvsEvent.Token token) {
        if (token == null) {
            return null;
        }
        TokenBean bean = new TokenBean();
        bean.setCapabilities(token.capabilities);
        bean.setAttributes(token.attributes);
        bean.setUserId(token.userId);
        bean.setExpirationTime(token.expirationTime);
        return bean;
    }

    public List<String> getCapabilities() { return capabilities; }
    public void setCapabilities(List<String> capabilities) { this.capabilities = capabilities; }
    public Map<String, String> getAttributes() { return attributes; }
    public void setAttributes(Map<String, String> attributes) { this.attributes = attributes; }
    public String getUserId() { return userId; }
    public void setUserId(String userId) { this.userId = userId; }
    public String getExpirationTime() { return expirationTime; }
    public void setExpirationTime(String expirationTime) { this.expirationTime = expirationTime; }
}
