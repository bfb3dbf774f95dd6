package io.tcpfleet.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.SSABasedGenericKubernetesResourceMatcher;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.model.ServerDeployment;
import io.tcpfleet.operator.model.TcpServiceResources;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A Deployment exactly as the API server served it to the operator (managed-fields/deployment.json: applied
 * by the operator for managed-fields/tcpservice.json, status written by the controller-manager).
 */
class OwnManagedFieldsTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final String IMAGE = "ghcr.io/tcpfleet/tcpfleet-server:0.1.0";

    private static <T> T read(String name, Class<T> type) {
        try (InputStream in = OwnManagedFieldsTest.class.getResourceAsStream("/managed-fields/" + name)) {
            return JSON.unmarshal(in, type);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Deployment served() {
        return read("deployment.json", Deployment.class);
    }

    @Test
    void keepsOnlyTheOperatorsOwnEntryWithTheSameFieldsInTheSameOrder() {
        Deployment original = served();
        assertThat(original.getMetadata().getManagedFields())
                .extracting(ManagedFieldsEntry::getManager)
                .containsExactly(TcpServiceResources.OPERATOR_NAME, "kube-controller-manager");

        Deployment cached = OwnManagedFields.keep(served(), TcpServiceResources.OPERATOR_NAME);

        assertThat(cached.getMetadata().getManagedFields()).singleElement().satisfies(entry -> {
            ManagedFieldsEntry own = original.getMetadata().getManagedFields().get(0);
            assertThat(entry.getOperation()).isEqualTo("Apply");
            assertThat(entry.getTime()).isEqualTo(own.getTime());
            assertThat(JSON.asJson(entry.getFieldsV1())).isEqualTo(JSON.asJson(own.getFieldsV1()));
        });
        assertThat(JSON.asJson(cached.getSpec())).isEqualTo(JSON.asJson(original.getSpec()));
        assertThat(JSON.asJson(cached.getStatus())).isEqualTo(JSON.asJson(original.getStatus()));
    }

    @Test
    void theInformerStoreHoldsTheSlimmedChild() {
        OwnManagedFieldsStore<Deployment> store = new OwnManagedFieldsStore<>();
        Deployment served = served();
        store.put(store.getKey(served), served);
        assertThat(store.get("bench-scale/echo-0000").getMetadata().getManagedFields())
                .extracting(ManagedFieldsEntry::getManager)
                .containsExactly(TcpServiceResources.OPERATOR_NAME);
    }

    @Test
    void theSlimStoreIsUsedOnlyWhereOneInformerWatches() {
        assertThat(OwnManagedFieldsStore.fitsOneInformerFor(Set.of(Constants.WATCH_ALL_NAMESPACES)))
                .isTrue();
        assertThat(OwnManagedFieldsStore.fitsOneInformerFor(Set.of("apps"))).isTrue();
        assertThat(OwnManagedFieldsStore.fitsOneInformerFor(Set.of("apps", "db")))
                .isFalse();
    }

    @Test
    void leavesAResourceWithoutManagedFieldsAsItIs() {
        Deployment bare = served();
        bare.getMetadata().setManagedFields(null);
        assertThat(OwnManagedFields.keep(bare, TcpServiceResources.OPERATOR_NAME)
                        .getMetadata()
                        .getManagedFields())
                .isNull();
    }

    @Test
    void emptyLeavesShareOneMap() {
        Map<String, Object> tree = OwnManagedFields.compacted(Map.of("f:a", Map.of(), "f:b", Map.of("f:c", Map.of())));
        assertThat(tree.get("f:a")).isSameAs(((Map<?, ?>) tree.get("f:b")).get("f:c"));
    }

    @Test
    void theServerSideApplyMatcherSeesNoDriftInTheSlimmedDeployment() {
        assertThat(matcherSays(served()))
                .as("the recorded Deployment matches its TcpService")
                .isTrue();
        assertThat(matcherSays(OwnManagedFields.keep(served(), TcpServiceResources.OPERATOR_NAME)))
                .isTrue();
    }

    @Test
    void theServerSideApplyMatcherStillSeesAHandEditInTheSlimmedDeployment() {
        Deployment edited = OwnManagedFields.keep(served(), TcpServiceResources.OPERATOR_NAME);
        edited.getSpec().getTemplate().getSpec().setTerminationGracePeriodSeconds(1L);
        assertThat(matcherSays(edited)).isFalse();
    }

    /** JOSDK's own matcher on the actual Deployment and the desired one, as the dependent hands them over. */
    private static boolean matcherSays(Deployment actual) {
        TcpService tcps = read("tcpservice.json", TcpService.class);
        Deployment desired = ServerDeployment.build(tcps, IMAGE);
        desired.getMetadata()
                .setOwnerReferences(List.of(TcpServiceResources.controllerReference(tcps))); // as ChildDependent does
        return SSABasedGenericKubernetesResourceMatcher.<Deployment>getInstance()
                .matches(actual, desired, context());
    }

    /** The two things the matcher asks of its Context: the field manager and the client's serialization. */
    @SuppressWarnings("unchecked")
    private static Context<TcpService> context() {
        ControllerConfiguration<TcpService> config =
                proxy(ControllerConfiguration.class, Map.of("fieldManager", TcpServiceResources.OPERATOR_NAME));
        KubernetesClient client = proxy(KubernetesClient.class, Map.of("getKubernetesSerialization", JSON));
        return proxy(Context.class, Map.of("getControllerConfiguration", config, "getClient", client));
    }

    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // each caller names the interface it gets
    private static <T> T proxy(Class<?> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (!answers.containsKey(method.getName())) {
                throw new UnsupportedOperationException(method.getName());
            }
            return answers.get(method.getName());
        });
    }
}
