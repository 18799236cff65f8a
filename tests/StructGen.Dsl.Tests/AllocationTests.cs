using System;

namespace StructGen.Dsl.Tests;

/// <summary>Steady-state calls allocate nothing: scratch and activation buffers are rented from the model's own pool (see <see cref="SteadyStateAllocation"/> for what counts as steady state).</summary>
public class AllocationTests
{
    private const int Calls = 1_000;

    [Theory]
    [InlineData(nameof(Models.Mlp), 16)]
    [InlineData(nameof(Models.Deep), 70)]
    [InlineData(nameof(Models.Squash), 5)]
    [InlineData(nameof(Models.Big), 2)]
    public void Model_forward_and_backward_allocate_nothing_after_warm_up(string name, int batch)
    {
        IStructuredModel model = ModelCatalog.CreateRandomized(name);
        float[] x = LayerCatalog.Random(batch * model.InFeatures, 1);
        float[] dy = LayerCatalog.Random(batch * model.OutFeatures, 2);
        var y = new float[batch * model.OutFeatures];
        var dx = new float[batch * model.InFeatures];
        model.Forward(x, y, batch);
        model.Backward(x, dy, dx, batch);

        (long allocated, string windows) = SteadyStateAllocation.Measure(() =>
        {
            model.Forward(x, y, batch);
            model.Backward(x, dy, dx, batch);
        }, Calls);
        Assert.True(allocated == 0, $"{name}: every window of {Calls} calls allocated (bytes per window: {windows})");
    }

    [Theory]
    [InlineData(nameof(Models.Mlp), 16)]
    [InlineData(nameof(Models.Squash), 5)]
    [InlineData(nameof(Models.Big), 70)]
    public void Model_training_steps_with_saved_outputs_allocate_nothing_after_warm_up(string name, int batch)
    {
        IStructuredModel model = ModelCatalog.CreateRandomized(name);
        float[] x = LayerCatalog.Random(batch * model.InFeatures, 1);
        float[] dy = LayerCatalog.Random(batch * model.OutFeatures, 2);
        var y = new float[batch * model.OutFeatures];
        var dx = new float[batch * model.InFeatures];
        var saved = new float[batch * model.SavedPerRow];
        model.Forward(x, y, batch, saved);
        model.Backward(x, dy, dx, batch, saved);

        (long allocated, string windows) = SteadyStateAllocation.Measure(() =>
        {
            model.Forward(x, y, batch, saved);
            model.Backward(x, dy, dx, batch, saved);
        }, Calls);
        Assert.True(allocated == 0, $"{name}: every window of {Calls} calls allocated (bytes per window: {windows})");
    }

    [Theory]
    [InlineData(nameof(Layers.SumPadded), 33)]
    [InlineData(nameof(Layers.ChainOfThree), 9)]
    [InlineData(nameof(Layers.AdapterInChain), 65)]
    [InlineData(nameof(Layers.ChainInSum), 4)]
    public void Composite_layer_forward_and_backward_allocate_nothing_after_warm_up(string name, int batch)
    {
        IStructuredLinear layer = LayerCatalog.CreateRandomized(name);
        float[] x = LayerCatalog.Random(batch * layer.InFeatures, 1);
        float[] dy = LayerCatalog.Random(batch * layer.OutFeatures, 2);
        var y = new float[batch * layer.OutFeatures];
        var dx = new float[batch * layer.InFeatures];
        layer.Forward(x, y, batch);
        layer.Backward(x, dy, dx, batch);

        (long allocated, string windows) = SteadyStateAllocation.Measure(() =>
        {
            layer.Forward(x, y, batch);
            layer.Backward(x, dy, dx, batch);
        }, Calls);
        Assert.True(allocated == 0, $"{name}: every window of {Calls} calls allocated (bytes per window: {windows})");
    }
}
