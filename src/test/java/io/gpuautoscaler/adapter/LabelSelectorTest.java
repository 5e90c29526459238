package io.gpuautoscaler.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

    static final Map<String, String> LABELS = Map.of("model", "llama", "variant", "h100-spot", "capacity_type", "spot",
            "gpu-autoscaler.io/tier", "gold");

    @ParameterizedTest(name = "''{0}'' matches: {1}")
    @CsvSource(delimiter = '|', value = {
        "''|true",
        "model=llama|true",
        "model==llama|true",
        "model=mistral|false",
        "model!=mistral|true",
        "model!=llama|false",
        "absent!=x|true",
        "model in (llama, mistral)|true",
        "model in (mistral)|false",
        "model notin (mistral,qwen)|true",
        "model notin (llama)|false",
        "absent notin (x)|true",
        "absent in (x)|false",
        "variant|true",
        "absent|false",
        "!absent|true",
        "!variant|false",
        "model=llama,variant=h100-spot|true",
        "model=llama, variant=h100-od|false",
        "  model = llama ,  variant in(h100-spot)  |true",
        "gpu-autoscaler.io/tier=gold|true",
        "model=llama,!absent,variant,capacity_type notin (on-demand)|true",
        "model=|false",
        "absent=|false",
    })
    void matchesLikeKubernetes(String selector, boolean expected) {
        assertEquals(expected, LabelSelector.parse(selector).matches(LABELS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"=llama", "model=llama,", ",model=llama", "model in llama", "model in (llama",
        "model in (a,,b)", "model notin", "model >= 3", "model=a b", "model=llama)", "Model!!=x", "bad key=x",
        "-model=x", "model=-x", "a/b/c=x", "UPPER.Prefix/name=x", "model=llama;variant=x", "!"})
    void rejectsMalformedSelectorsSayingWhere(String selector) {
        LabelSelector.InvalidSelectorException e = assertThrows(LabelSelector.InvalidSelectorException.class,
                () -> LabelSelector.parse(selector).matches(LABELS));
        assertTrue(e.getMessage().startsWith("invalid label selector \"" + selector + "\" at position"),
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"model=llama|llama", "model in (llama)|llama", "model in (a,b)|", "x=1|"})
    void exposesAnEqualityForIndexLookups(String selector, String expected) {
        assertEquals(expected, LabelSelector.parse(selector).equalTo("model"));
    }
}
