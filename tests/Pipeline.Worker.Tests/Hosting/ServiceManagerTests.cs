using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Hosting.Systemd;
using Pipeline.Worker.Hosting;
using Pipeline.Worker.Hosting.Systemd;

namespace Pipeline.Worker.Tests.Hosting;

/// <summary>Which lifetime and notifier the worker registers under each service manager (built, not run).</summary>
public sealed class ServiceManagerTests
{
    [Fact]
    public void AddPipelineWorker_NotifySocketSetWithoutSystemdParent_RegistersThePackagesNotifierAndLifetime()
    {
        using var host = Build(new() { ["NOTIFY_SOCKET"] = "/run/test/notify" });

        Assert.IsType<SystemdLifetime>(host.Services.GetRequiredService<IHostLifetime>());
        Assert.IsType<SystemdNotifier>(host.Services.GetRequiredService<ISystemdNotifier>());
        Assert.NotNull(host.Services.GetRequiredService<SystemdStatus>());
    }

    [Fact]
    public void AddPipelineWorker_NoServiceManager_KeepsTheConsoleLifetimeAndSendsNothing()
    {
        using var host = Build([]);

        Assert.IsType<ConsoleLifetime>(host.Services.GetRequiredService<IHostLifetime>());
        Assert.Null(host.Services.GetService<ISystemdNotifier>());
        Assert.False(host.Services.GetRequiredService<SystemdStatus>().IsEnabled);
    }

    [Fact]
    public void AddPipelineWorker_OffWindows_WindowsServiceRegistrationIsANoOp()
    {
        // AddWindowsService is always called (the Windows path compiles on every platform); only the
        // Service Control Manager as parent switches it on, which never happens on Linux.
        using var host = Build([]);

        // Named, not typed: WindowsServiceLifetime is a Windows-only type the analyzers keep out of Linux code paths.
        Assert.Equal(nameof(ConsoleLifetime), host.Services.GetRequiredService<IHostLifetime>().GetType().Name);
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s.GetType().Name.Contains("Windows", StringComparison.Ordinal));
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddPipelineWorker([], new ConsoleOutput(TextWriter.Null, TextWriter.Null, isInteractive: false));
        return builder.Build();
    }
}
