import { describeHarnessEndToEnd } from "./harness-e2e.suite";

describeHarnessEndToEnd("pglite");
