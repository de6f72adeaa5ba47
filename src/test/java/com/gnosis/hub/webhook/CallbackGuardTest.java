package com.gnosis.hub.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which callback targets the hub calls: every address a host resolves to must be public, unless allowed. */
class CallbackGuardTest {

    /** A DNS that answers from a table (the real one is the default; here a name may have a private address). */
    private static CallbackGuard.Resolver dns(Map<String, String[]> table) {
        return host -> {
            String[] addresses = table.get(host);
            if (addresses == null) throw new UnknownHostException(host);
            InetAddress[] resolved = new InetAddress[addresses.length];
            for (int i = 0; i < addresses.length; i++) resolved[i] = InetAddress.getByName(addresses[i]);
            return resolved;
        };
    }

    private final CallbackGuard.Resolver table = dns(Map.of(
            "hooks.example.com", new String[] {"93.184.215.14"},
            "sneaky.example.com", new String[] {"93.184.215.14", "10.0.0.7"},
            "mapped.example.com", new String[] {"::ffff:192.168.0.1"},
            "cgnat.example.com", new String[] {"100.64.1.1"},
            "intranet.corp", new String[] {"10.20.30.40"}));

    @Test
    void aPublicHostIsCalled() {
        assertThat(new CallbackGuard(null, table).refusal("https://hooks.example.com/gnosis")).isEmpty();
    }

    @Test
    void aHostWithOnePrivateAddressAmongPublicOnesIsRefused() {
        assertThat(new CallbackGuard(null, table).refusal("https://sneaky.example.com/x"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("private").contains("10.0.0.7"));
    }

    @Test
    void everyInternalKindIsRefused() {
        CallbackGuard guard = new CallbackGuard(null, table);
        Map<String, String> refused = Map.of(
                "http://127.0.0.1/", "loopback",
                "http://[::1]/", "loopback",
                "http://169.254.169.254/", "link-local",
                "http://[fe80::1]/", "link-local",
                "http://172.31.255.1/", "private",
                "http://[fd00::5]/", "unique-local",
                "http://mapped.example.com/", "private",
                "http://cgnat.example.com/", "carrier-grade NAT",
                "http://0.0.0.0/", "unspecified",
                "http://nowhere.invalid/", "cannot be resolved");
        refused.forEach((url, kind) -> assertThat(guard.refusal(url)).as(url)
                .hasValueSatisfying(reason -> assertThat(reason).contains(kind)));
    }

    @Test
    void badUrlsAreRefused() {
        CallbackGuard guard = new CallbackGuard(null, table);
        assertThat(guard.refusal("file:///etc/passwd")).hasValueSatisfying(r -> assertThat(r).contains("http or https"));
        assertThat(guard.refusal("https://user:pw@hooks.example.com/")).hasValueSatisfying(r -> assertThat(r).contains("user name"));
        assertThat(guard.refusal("https:///nohost")).isPresent();
        assertThat(guard.refusal("not a url at all")).isPresent();
    }

    @Test
    void theAllowListNamesHostsAddressesAndRanges() {
        CallbackGuard guard = new CallbackGuard("intranet.corp, 127.0.0.1, fd00::/8, 172.16.0.0/12", table);
        assertThat(guard.refusal("http://intranet.corp/hook")).isEmpty();
        assertThat(guard.refusal("http://127.0.0.1:9000/hook")).isEmpty();
        assertThat(guard.refusal("http://[fd00::5]/hook")).isEmpty();
        assertThat(guard.refusal("http://172.20.1.1/hook")).isEmpty();
        assertThat(guard.refusal("http://127.0.0.2/hook")).as("one address is not its neighbours").isPresent();
        assertThat(guard.refusal("http://192.168.1.1/hook")).isPresent();
    }

    @Test
    void theSignatureCoversTheTimestamp() {
        WebhookSigner signer = new WebhookSigner("k");
        String signature = signer.sign(1_700_000_000L, "{\"a\":1}");
        assertThat(signature).matches("sha256=[0-9a-f]{64}");
        assertThat(signer.verify(1_700_000_000L, "{\"a\":1}", signature)).isTrue();
        assertThat(signer.verify(1_700_000_001L, "{\"a\":1}", signature)).isFalse();
        assertThat(signer.verify(1_700_000_000L, "{\"a\":2}", signature)).isFalse();
        assertThat(new WebhookSigner("other").verify(1_700_000_000L, "{\"a\":1}", signature)).isFalse();
    }
}
