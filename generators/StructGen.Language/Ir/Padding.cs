namespace StructGen.Language.Ir;

/// <summary>fly's padding rule: features that the block count does not divide are padded up to the next multiple.</summary>
public static class Padding
{
    public static int RoundUp(int features, int blocks)
        => blocks <= 0 ? features : (int)(((long)features + blocks - 1) / blocks * blocks);
}
