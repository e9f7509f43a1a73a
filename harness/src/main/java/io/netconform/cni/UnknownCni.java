package io.netconform.cni;

import java.util.List;
import java.util.Optional;

/** No CNI detection recognised (a bridge configured on the nodes, or one the harness does not know yet). */
final class UnknownCni extends Cni {

    UnknownCni() {
        super("unknown", List.of(), Encapsulation.UNKNOWN, "",
                NetworkPolicySupport.unknown("unknown CNI"));
    }

    @Override
    Optional<String> podNameWord() {
        return Optional.empty();
    }

    @Override
    ExpectedMtu expectedMtu(Encapsulation encapsulation, boolean ipv6Underlay) {
        return ExpectedMtu.unknown("unknown CNI");
    }
}
