package diffbench.schema;

/** Which attention kernel the networks' source calls; the constant's name is its CSV id, and the declaration order its display order. */
public enum Attention implements CellTerm {
    sdpa, math;

    @Override
    public String id() {
        return name();
    }

    public static Attention fromId(String id) {
        return CellTerm.fromId(Attention.class, "attention", id);
    }
}
