package io.gpuautoscaler;

import io.gpuautoscaler.simulation.Backtest;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** The service; or, with {@code backtest ...}, the backtest CLI (no server started). */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("backtest")) {
            System.exit(Backtest.cli(args, System.out, System.err));
        }
        Quarkus.run(args);
    }
}
