#Requires -Version 3.0
<#
.SYNOPSIS
    dualstack Hyper-V collector: reads one Hyper-V (cluster) node's network, cluster,
    Hyper-V and iSCSI/MPIO configuration and writes it to ONE JSON file.

.DESCRIPTION
    Run it on every node of the cluster and give the JSON files to the dualstack
    Hyper-V doctor.

    IT CHANGES NOTHING. The script only reads: Get-* cmdlets, WMI/CIM queries, three
    registry values and the event logs. The only state it touches is its own
    PowerShell session (it loads modules, and drops an ETS type extension of
    System.Array that would make Windows PowerShell 5.1 write some arrays as
    {"value": [...], "Count": n}).

    The file has these top-level keys, in this order:
      schema            "dualstack-hyperv/1"
      ComputerName      $env:COMPUTERNAME
      CollectedAt       ISO 8601 UTC, e.g. 2025-11-25T10:41:22Z
      OSVersion         e.g. 10.0.17763
      OSCaption         e.g. Microsoft Windows Server 2019 Datacenter
      CollectorErrors   one string per source that failed: "<Cmdlet>: <message>"
      Notes             what was skipped and why (module not installed, service not
                        running, WMI fallback used, event log missing); not errors
    and one key per source, named after the cmdlet noun; every source is an array,
    empty when the module or feature is not there:
      NetAdapter, NetIPInterface, NetIPAddress, NetRoute (default routes 0.0.0.0/0
      and ::/0 only), NetAdapterBinding (ms_tcpip, ms_tcpip6, ms_msclient, ms_server,
      vms_pp), NetAdapterAdvancedProperty (*JumboPacket), DnsClient, ClusterNetwork,
      ClusterNetworkInterface, ClusterParameter (Virtual Machine resource type:
      MigrationExcludeNetworks, MigrationNetworkOrder), VMHost, VMMigrationNetwork,
      VMSwitch, IscsiSession (each with its Connections), IscsiTarget, MPIOSetting,
      MSDSMGlobalDefaultLoadBalancePolicy, BindingOrder (registry
      HKLM:\SYSTEM\CurrentControlSet\Services\Tcpip\Linkage\Bind, mapped to adapter
      names where possible), Net6to4Configuration, NetIsatapConfiguration,
      NetTeredoConfiguration, NetIPv6Protocol (RandomizeIdentifiers, UseTemporaryAddresses),
      NetPrefixPolicy, Tcpip6Parameters (one object: the registry value
      HKLM:\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters\DisabledComponents,
      null when absent), Events (Hyper-V-High-Availability-Admin,
      Hyper-V-VMMS-Admin, FailoverClustering/Operational and, from provider
      Microsoft-Windows-FailoverClustering only, System, where the cluster writes its
      membership and network events; last 30 days, ids 21111 21126 21500 21501 21502
      21503 1135 1126 1127 1129 1130).

    Values are written as ConvertTo-Json writes them: enum values as integers (for
    example AddressFamily 2 = IPv4, 23 = IPv6; ClusterNetwork Role 0/1/3), dates as
    "\/Date(ms)\/" on Windows PowerShell 5.1 and ISO 8601 on PowerShell 7. A few
    values are written as their text on purpose: ClusterParameter ClusterObject and
    Type, MPIOSetting PathVerificationState and UseCustomPathRecoveryTime,
    ClusterNetworkInterface Node and Network.

    Works on Windows PowerShell 5.1 and PowerShell 7. On Windows Server 2008 R2
    (WMF 3.0 or later needed for ConvertTo-Json), where the NetAdapter, NetTCPIP,
    DnsClient and iSCSI modules do not exist, adapters, addresses, default gateways
    and DNS registration come from Win32_NetworkAdapter and
    Win32_NetworkAdapterConfiguration, and iSCSI sessions from
    root\wmi MSIscsiInitiator_SessionClass, under the same keys and property names.

    Run it elevated (an administrator PowerShell): the cluster, Hyper-V and MPIO
    cmdlets need it. Not elevated, it still collects what it can and says so in Notes.

    On PowerShell 7, modules that are not marked compatible with it (FailoverClusters on
    most builds) are loaded into the Windows PowerShell compatibility session
    (WinPSCompatSession); cluster objects from there cannot be piped into another
    cluster cmdlet (PowerShell/PowerShell#15422), so the cluster parameters are read
    inside that session.

.PARAMETER OutFile
    Where to write the JSON (UTF-8 without BOM). Default:
    .\<ComputerName>.dualstack-hyperv.json in the current directory. An existing
    directory gets <ComputerName>.dualstack-hyperv.json inside it.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File collector.ps1

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File collector.ps1 -OutFile \\admin01\drop\HV01.dualstack-hyperv.json

.EXAMPLE
    pwsh -ExecutionPolicy Bypass -File collector.ps1
#>
[CmdletBinding()]
param(
    [string]$OutFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Off

try {
    # Windows PowerShell 5.1 only; PowerShell 7 has no such type data (hence the catch).
    Remove-TypeData -TypeName 'System.Array' -ErrorAction SilentlyContinue
}
catch {
    $null = $_
}

# ---- what to collect ----------------------------------------------------------------------

$Schema = 'dualstack-hyperv/1'
$EventDays = 30
$EventLogs = @(
    'Microsoft-Windows-Hyper-V-High-Availability-Admin',
    'Microsoft-Windows-Hyper-V-VMMS-Admin',
    'Microsoft-Windows-FailoverClustering/Operational',
    'System'
)
# Logs shared with other providers: only this provider's events are kept (filtered after
# the query: a ProviderName key in -FilterHashtable is an error where the provider is not
# registered, and other providers use the same ids, e.g. Group Policy 1129 and 1130).
$EventProviders = @{
    'System' = 'Microsoft-Windows-FailoverClustering'
}
$EventIds = @(21111, 21126, 21500, 21501, 21502, 21503, 1135, 1126, 1127, 1129, 1130)
$BindingComponentIds = @('ms_tcpip', 'ms_tcpip6', 'ms_msclient', 'ms_server', 'vms_pp')
$AdvancedKeywords = @('*JumboPacket')
$ClusterParameterNames = @('MigrationExcludeNetworks', 'MigrationNetworkOrder')
$DefaultRoutePrefixes = @('0.0.0.0/0', '::/0')

# The output keys, in file order. Every source key is always written (an empty array when
# the source is missing), so a reader never has to tell "absent" from "empty".
$SourceKeys = @(
    'NetAdapter',
    'NetIPInterface',
    'NetIPAddress',
    'NetRoute',
    'NetAdapterBinding',
    'NetAdapterAdvancedProperty',
    'DnsClient',
    'ClusterNetwork',
    'ClusterNetworkInterface',
    'ClusterParameter',
    'VMHost',
    'VMMigrationNetwork',
    'VMSwitch',
    'IscsiSession',
    'IscsiTarget',
    'MPIOSetting',
    'MSDSMGlobalDefaultLoadBalancePolicy',
    'BindingOrder',
    'Net6to4Configuration',
    'NetIsatapConfiguration',
    'NetTeredoConfiguration',
    'NetIPv6Protocol',
    'NetPrefixPolicy',
    'Tcpip6Parameters',
    'Events'
)

# The documented properties each source keeps (learn.microsoft.com: the cmdlet pages and
# the MSFT_* / MSCluster_* classes behind them). Explicit lists: no CimClass,
# CimInstanceProperties or CimSystemProperties noise in the file.
$Props = @{
    NetAdapter                 = @(
        'Name', 'InterfaceDescription', 'InterfaceIndex', 'InterfaceGuid', 'MacAddress',
        'LinkSpeed', 'ReceiveLinkSpeed', 'Status', 'MtuSize', 'VlanID', 'DriverDescription',
        'Virtual'
    )
    NetIPInterface             = @(
        'InterfaceAlias', 'InterfaceIndex', 'AddressFamily', 'InterfaceMetric', 'AutomaticMetric',
        'Dhcp', 'NlMtu', 'ConnectionState', 'RouterDiscovery'
    )
    NetIPAddress               = @(
        'InterfaceAlias', 'InterfaceIndex', 'IPAddress', 'PrefixLength', 'AddressFamily',
        'PrefixOrigin', 'SuffixOrigin', 'AddressState', 'SkipAsSource'
    )
    NetRoute                   = @(
        'InterfaceAlias', 'InterfaceIndex', 'DestinationPrefix', 'NextHop', 'RouteMetric',
        'AddressFamily'
    )
    NetAdapterBinding          = @('Name', 'ComponentID', 'DisplayName', 'Enabled')
    NetAdapterAdvancedProperty = @(
        'Name', 'DisplayName', 'RegistryKeyword', 'RegistryValue', 'DisplayValue'
    )
    DnsClient                  = @(
        'InterfaceAlias', 'InterfaceIndex', 'ConnectionSpecificSuffix',
        'RegisterThisConnectionsAddress', 'UseSuffixWhenRegistering'
    )
    ClusterNetwork             = @(
        'Name', 'Id', 'Role', 'Address', 'AddressMask', 'Ipv4Addresses', 'Ipv4PrefixLengths',
        'Ipv6Addresses', 'Ipv6PrefixLengths', 'Metric', 'AutoMetric', 'State'
    )
    ClusterNetworkInterface    = @(
        'Name', 'Node', 'Network', 'Adapter', 'AdapterId', 'Address', 'Ipv4Addresses',
        'Ipv6Addresses', 'DhcpEnabled', 'State'
    )
    ClusterParameter           = @('ClusterObject', 'Name', 'Value', 'Type')
    VMHost                     = @(
        'ComputerName', 'VirtualMachineMigrationEnabled',
        'VirtualMachineMigrationAuthenticationType', 'VirtualMachineMigrationPerformanceOption',
        'MaximumVirtualMachineMigrations', 'MaximumStorageMigrations', 'UseAnyNetworkForMigration'
    )
    VMMigrationNetwork         = @('Subnet', 'Priority')
    VMSwitch                   = @(
        'Name', 'Id', 'SwitchType', 'NetAdapterInterfaceDescription',
        'NetAdapterInterfaceDescriptions', 'AllowManagementOS', 'EmbeddedTeamingEnabled'
    )
    IscsiSession               = @(
        'SessionIdentifier', 'TargetNodeAddress', 'InitiatorNodeAddress', 'InitiatorPortalAddress',
        'InitiatorInstanceName', 'InitiatorSideIdentifier', 'TargetSideIdentifier',
        'NumberOfConnections', 'IsConnected', 'IsPersistent', 'IsDiscovered',
        'IsMultipathEnabled', 'AuthenticationType'
    )
    IscsiConnection            = @(
        'ConnectionIdentifier', 'InitiatorAddress', 'InitiatorPortNumber', 'TargetAddress',
        'TargetPortNumber'
    )
    IscsiTarget                = @('NodeAddress', 'IsConnected')
    MPIOSetting                = @(
        'PathVerificationState', 'PathVerificationPeriod', 'PDORemovePeriod', 'RetryCount',
        'RetryInterval', 'UseCustomPathRecoveryTime', 'CustomPathRecoveryTime', 'DiskTimeoutValue'
    )
    Net6to4Configuration       = @('State', 'RelayName', 'RelayState')
    NetIsatapConfiguration     = @('State', 'Router', 'ResolutionState')
    NetTeredoConfiguration     = @('Type', 'ServerName')
    NetIPv6Protocol            = @('RandomizeIdentifiers', 'UseTemporaryAddresses')
    NetPrefixPolicy            = @('Prefix', 'Precedence', 'Label')
}

# ---- result and bookkeeping ---------------------------------------------------------------

$CollectorErrors = New-Object -TypeName 'System.Collections.Generic.List[string]'
$Notes = New-Object -TypeName 'System.Collections.Generic.List[string]'

$Result = [ordered]@{}
$Result['schema'] = $Schema
$Result['ComputerName'] = $env:COMPUTERNAME
$invariant = [System.Globalization.CultureInfo]::InvariantCulture
$Result['CollectedAt'] = (Get-Date).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", $invariant)
$Result['OSVersion'] = $null
$Result['OSCaption'] = $null
$Result['CollectorErrors'] = @()
$Result['Notes'] = @()
foreach ($key in $SourceKeys) {
    $Result[$key] = @()
}

function Add-Note {
    param([Parameter(Mandatory = $true)] [string]$Text)
    $script:Notes.Add($Text)
}

function Add-CollectorError {
    param(
        [Parameter(Mandatory = $true)] [string]$Command,
        [Parameter(Mandatory = $true)] $ErrorRecord
    )
    $message = "$ErrorRecord"
    if ($ErrorRecord -is [System.Management.Automation.ErrorRecord] -and $ErrorRecord.Exception) {
        $message = $ErrorRecord.Exception.Message
    }
    $message = ($message -replace '\s+', ' ').Trim()
    $script:CollectorErrors.Add(('{0}: {1}' -f $Command, $message))
}

function Test-NotFound {
    # CDXML cmdlets (NetTCPIP, iSCSI, ...) report "no matching object" as an error.
    param($ErrorRecord)
    return ("$($ErrorRecord.FullyQualifiedErrorId)" -like 'CmdletizationQuery_NotFound*')
}

function Invoke-Source {
    # Runs one source; its output becomes $Result[$Key] (always an array). A failure leaves
    # the empty array and one CollectorErrors entry "<Command>: <message>".
    param(
        [Parameter(Mandatory = $true)] [string]$Key,
        [Parameter(Mandatory = $true)] [string]$Command,
        [Parameter(Mandatory = $true)] [scriptblock]$ScriptBlock
    )
    try {
        $script:Result[$Key] = @(& $ScriptBlock)
    }
    catch {
        $script:Result[$Key] = @()
        if (-not (Test-NotFound -ErrorRecord $_)) {
            Add-CollectorError -Command $Command -ErrorRecord $_
        }
    }
}

function Test-Command {
    param([Parameter(Mandatory = $true)] [string]$Name)
    return [bool](Get-Command -Name $Name -ErrorAction SilentlyContinue)
}

function Test-Module {
    param([Parameter(Mandatory = $true)] [string]$Name)
    $arguments = @{ ListAvailable = $true; Name = $Name; ErrorAction = 'SilentlyContinue' }
    if ($PSVersionTable.PSEdition -eq 'Core') {
        # PowerShell 7 hides Windows PowerShell-only modules (FailoverClusters, Hyper-V on
        # older builds) from -ListAvailable; Import-Module still loads them through the
        # Windows PowerShell compatibility session.
        $arguments['SkipEditionCheck'] = $true
    }
    return [bool](Get-Module @arguments)
}

function Test-ServiceRunning {
    param([Parameter(Mandatory = $true)] [string]$Name)
    $service = Get-Service -Name $Name -ErrorAction SilentlyContinue
    return [bool]($service -and "$($service.Status)" -eq 'Running')
}

function Test-Elevated {
    # True in an administrator (elevated) PowerShell; $null when it cannot be told.
    try {
        $identity = [System.Security.Principal.WindowsIdentity]::GetCurrent()
        $principal = New-Object -TypeName 'System.Security.Principal.WindowsPrincipal' -ArgumentList $identity
        return $principal.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
    }
    catch {
        return $null
    }
}

function Get-CompatSession {
    # PowerShell 7 only: the WinPSCompatSession when $Module was loaded into it (implicit
    # remoting, deserialized objects); $null when the module runs in this session.
    param([Parameter(Mandatory = $true)] [string]$Module)
    if ($PSVersionTable.PSEdition -ne 'Core') { return $null }
    $session = @(Get-PSSession -Name 'WinPSCompatSession' -ErrorAction SilentlyContinue) |
        Where-Object { $null -ne $_ -and "$($_.State)" -eq 'Opened' } |
        Select-Object -First 1
    if ($null -eq $session) { return $null }
    $loaded = Invoke-Command -Session $session -ErrorAction Stop -ArgumentList $Module -ScriptBlock {
        param($Name)
        [bool](Get-Module -Name $Name)
    }
    if ($loaded) { return $session }
    return $null
}

function Get-WmiData {
    # CIM where it exists (PowerShell 3+, also 7), the old WMI cmdlets otherwise.
    param(
        [Parameter(Mandatory = $true)] [string]$ClassName,
        [string]$Namespace = 'root\cimv2',
        [string]$Filter
    )
    if (Test-Command -Name 'Get-CimInstance') {
        $cim = @{ ClassName = $ClassName; Namespace = $Namespace; ErrorAction = 'Stop' }
        if ($Filter) { $cim['Filter'] = $Filter }
        return Get-CimInstance @cim
    }
    $wmi = @{ Class = $ClassName; Namespace = $Namespace; ErrorAction = 'Stop' }
    if ($Filter) { $wmi['Filter'] = $Filter }
    return Get-WmiObject @wmi
}

# ---- turning cmdlet objects into plain JSON values ---------------------------------------

function ConvertTo-PlainValue {
    # Enum -> its integer; string/bool/number/date as is; Guid/TimeSpan -> text;
    # collections -> arrays of plain values; any other object -> its text. This keeps the
    # file flat (no nested cluster/CIM objects) and gives the same shape on 5.1 and 7, also
    # for objects that PowerShell 7 gets deserialized from a Windows PowerShell session.
    param($Value)
    if ($null -eq $Value) { return $null }
    $base = $Value
    if ($null -ne $Value.PSObject -and $null -ne $Value.PSObject.BaseObject) {
        $base = $Value.PSObject.BaseObject
    }
    if ($base -is [string]) { return $base }
    if ($base -is [System.Enum]) { return [long]$base }
    if ($base -is [bool] -or $base -is [datetime]) { return $base }
    if ($base -is [timespan] -or $base -is [guid]) { return $base.ToString() }
    if ($base -is [System.ValueType]) { return $base }
    if ($base -is [System.Collections.IDictionary]) { return "$Value" }
    if ($base -is [System.Collections.IEnumerable]) {
        $list = @(foreach ($item in $base) { ConvertTo-PlainValue -Value $item })
        return , $list
    }
    return "$Value"
}

function ConvertTo-PlainString {
    param($Value)
    if ($null -eq $Value) { return $null }
    return "$Value"
}

function Select-Plain {
    # Select-Object with an explicit property list, each value made plain (see above);
    # properties named in -AsString are written as their text (enum names, object names).
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string[]]$Property,
        [string[]]$AsString = @(),
        [Parameter(ValueFromPipeline = $true)]
        $InputObject
    )
    begin {
        $calculated = @(
            foreach ($name in $Property) {
                if ($AsString -contains $name) {
                    $code = 'ConvertTo-PlainString -Value $_.''{0}''' -f $name
                }
                else {
                    $code = 'ConvertTo-PlainValue -Value $_.''{0}''' -f $name
                }
                @{ Name = $name; Expression = [scriptblock]::Create($code) }
            }
        )
    }
    process {
        if ($null -ne $InputObject) {
            Select-Object -InputObject $InputObject -Property $calculated
        }
    }
}

# ---- helpers for the Windows Server 2008 R2 (WMI) fallback --------------------------------

function Format-LinkSpeed {
    # The way Get-NetAdapter shows LinkSpeed: "10 Gbps", "100 Mbps".
    param($BitsPerSecond)
    if ($null -eq $BitsPerSecond) { return $null }
    $bps = [double]$BitsPerSecond
    $culture = [System.Globalization.CultureInfo]::InvariantCulture
    if ($bps -ge 1e9) { return [string]::Format($culture, '{0} Gbps', [math]::Round($bps / 1e9, 1)) }
    if ($bps -ge 1e6) { return [string]::Format($culture, '{0} Mbps', [math]::Round($bps / 1e6, 1)) }
    if ($bps -ge 1e3) { return [string]::Format($culture, '{0} Kbps', [math]::Round($bps / 1e3, 1)) }
    return [string]::Format($culture, '{0} bps', $bps)
}

function ConvertTo-PrefixLength {
    # "255.255.255.0" -> 24; "64" (IPv6 entries of IPSubnet) -> 64.
    param([string]$Subnet)
    if (-not $Subnet) { return $null }
    if ($Subnet -match '^\d+$') { return [int]$Subnet }
    $bits = 0
    foreach ($octet in $Subnet.Split('.')) {
        $binary = [Convert]::ToString([int]$octet, 2)
        $bits += ($binary.ToCharArray() | Where-Object { $_ -eq '1' } | Measure-Object).Count
    }
    return $bits
}

function ConvertFrom-NetConnectionStatus {
    # Win32_NetworkAdapter.NetConnectionStatus -> the Status text Get-NetAdapter shows.
    param($Code)
    if ($null -eq $Code) { return $null }
    switch ([int]$Code) {
        0 { return 'Disconnected' }
        2 { return 'Up' }
        4 { return 'Not Present' }
        5 { return 'Disabled' }
        7 { return 'Disconnected' }
        default { return ('NetConnectionStatus {0}' -f [int]$Code) }
    }
}

function Get-LegacyNetwork {
    # Win32_NetworkAdapter (named connections) and Win32_NetworkAdapterConfiguration
    # (IP-enabled), joined on Index.
    $adapters = @(Get-WmiData -ClassName 'Win32_NetworkAdapter' | Where-Object { $_.NetConnectionID })
    $configs = @(Get-WmiData -ClassName 'Win32_NetworkAdapterConfiguration' -Filter 'IPEnabled = TRUE')
    $aliasByIndex = @{}
    foreach ($adapter in $adapters) {
        $aliasByIndex[[int]$adapter.Index] = [string]$adapter.NetConnectionID
    }
    $configByIndex = @{}
    foreach ($config in $configs) {
        $configByIndex[[int]$config.Index] = $config
    }
    return @{
        Adapters      = $adapters
        Configs       = @($configs | Where-Object { $aliasByIndex.ContainsKey([int]$_.Index) })
        AliasByIndex  = $aliasByIndex
        ConfigByIndex = $configByIndex
    }
}

# ---- operating system ---------------------------------------------------------------------

try {
    $os = @(Get-WmiData -ClassName 'Win32_OperatingSystem')[0]
    $Result['OSVersion'] = [string]$os.Version
    $Result['OSCaption'] = ([string]$os.Caption).Trim()
}
catch {
    Add-CollectorError -Command 'Win32_OperatingSystem' -ErrorRecord $_
}

# ---- elevation ----------------------------------------------------------------------------

$elevated = Test-Elevated
if ($elevated -eq $false) {
    Add-Note ('Not run elevated (not an administrator PowerShell): the cluster, Hyper-V, MPIO and ' +
        'MSDSM cmdlets may fail with access denied (see CollectorErrors) and their keys stay ' +
        'empty; run it again as administrator for a complete file')
    Write-Warning 'Not running elevated: cluster, Hyper-V and MPIO data may be missing. Run it from an administrator PowerShell.'
}
elseif ($null -eq $elevated) {
    Add-Note 'Could not tell whether it runs elevated (WindowsPrincipal check failed)'
}

# ---- adapters, addresses, routes, bindings, DNS registration ------------------------------

if (Test-Command -Name 'Get-NetAdapter') {
    Invoke-Source -Key 'NetAdapter' -Command 'Get-NetAdapter' -ScriptBlock {
        Get-NetAdapter -ErrorAction Stop | Select-Plain -Property $Props.NetAdapter
    }
    Invoke-Source -Key 'NetAdapterBinding' -Command 'Get-NetAdapterBinding' -ScriptBlock {
        Get-NetAdapterBinding -ErrorAction Stop |
            Where-Object { $BindingComponentIds -contains $_.ComponentID } |
            Select-Plain -Property $Props.NetAdapterBinding
    }
    Invoke-Source -Key 'NetAdapterAdvancedProperty' -Command 'Get-NetAdapterAdvancedProperty' -ScriptBlock {
        Get-NetAdapterAdvancedProperty -AllProperties -ErrorAction Stop |
            Where-Object { $AdvancedKeywords -contains $_.RegistryKeyword } |
            Select-Plain -Property $Props.NetAdapterAdvancedProperty
    }
}

if (Test-Command -Name 'Get-NetIPAddress') {
    Invoke-Source -Key 'NetIPInterface' -Command 'Get-NetIPInterface' -ScriptBlock {
        Get-NetIPInterface -ErrorAction Stop | Select-Plain -Property $Props.NetIPInterface
    }
    Invoke-Source -Key 'NetIPAddress' -Command 'Get-NetIPAddress' -ScriptBlock {
        Get-NetIPAddress -ErrorAction Stop | Select-Plain -Property $Props.NetIPAddress
    }
    Invoke-Source -Key 'NetRoute' -Command 'Get-NetRoute' -ScriptBlock {
        # Filtered here, not with -DestinationPrefix: a missing ::/0 must not be an error.
        Get-NetRoute -PolicyStore ActiveStore -ErrorAction Stop |
            Where-Object { $DefaultRoutePrefixes -contains $_.DestinationPrefix } |
            Select-Plain -Property $Props.NetRoute
    }
}

if (Test-Command -Name 'Get-DnsClient') {
    Invoke-Source -Key 'DnsClient' -Command 'Get-DnsClient' -ScriptBlock {
        Get-DnsClient -ErrorAction Stop | Select-Plain -Property $Props.DnsClient
    }
}

if (-not (Test-Command -Name 'Get-NetAdapter') -or -not (Test-Command -Name 'Get-NetIPAddress')) {
    Add-Note ('Get-NetAdapter/Get-NetIPAddress not available (Windows Server 2008 R2?): NetAdapter, ' +
        'NetIPInterface, NetIPAddress, NetRoute and DnsClient read from Win32_NetworkAdapter and ' +
        'Win32_NetworkAdapterConfiguration; NetAdapterBinding and NetAdapterAdvancedProperty not ' +
        'collected')
    $legacy = $null
    try {
        $legacy = Get-LegacyNetwork
    }
    catch {
        Add-CollectorError -Command 'Win32_NetworkAdapter' -ErrorRecord $_
    }
    if ($null -ne $legacy) {
        Invoke-Source -Key 'NetAdapter' -Command 'Win32_NetworkAdapter' -ScriptBlock {
            foreach ($adapter in $legacy.Adapters) {
                $config = $legacy.ConfigByIndex[[int]$adapter.Index]
                $up = ([int]$adapter.NetConnectionStatus -eq 2)
                $speed = $null
                if ($up) { $speed = $adapter.Speed } else { $speed = 0 }
                $mtu = $null
                if ($null -ne $config) { $mtu = $config.MTU }
                $mac = $null
                if ($adapter.MACAddress) { $mac = ([string]$adapter.MACAddress).Replace(':', '-') }
                [pscustomobject]@{
                    Name                 = [string]$adapter.NetConnectionID
                    InterfaceDescription = [string]$adapter.Description
                    InterfaceIndex       = $adapter.InterfaceIndex
                    InterfaceGuid        = $adapter.GUID
                    MacAddress           = $mac
                    LinkSpeed            = Format-LinkSpeed -BitsPerSecond $speed
                    ReceiveLinkSpeed     = $speed
                    Status               = ConvertFrom-NetConnectionStatus -Code $adapter.NetConnectionStatus
                    MtuSize              = $mtu
                    VlanID               = $null
                    DriverDescription    = [string]$adapter.ProductName
                    Virtual              = -not [bool]$adapter.PhysicalAdapter
                } | Select-Plain -Property $Props.NetAdapter
            }
        }
        Invoke-Source -Key 'NetIPInterface' -Command 'Win32_NetworkAdapterConfiguration' -ScriptBlock {
            foreach ($config in $legacy.Configs) {
                $alias = $legacy.AliasByIndex[[int]$config.Index]
                $dhcp = 0
                if ($config.DHCPEnabled) { $dhcp = 1 }
                $families = @(2)
                if (@($config.IPAddress | Where-Object { "$_" -like '*:*' }).Count -gt 0) {
                    $families += 23
                }
                foreach ($family in $families) {
                    $metric = $null
                    $mtu = $null
                    $familyDhcp = $null
                    if ($family -eq 2) {
                        $metric = $config.IPConnectionMetric
                        $mtu = $config.MTU
                        $familyDhcp = $dhcp
                    }
                    [pscustomobject]@{
                        InterfaceAlias  = $alias
                        InterfaceIndex  = $config.InterfaceIndex
                        AddressFamily   = $family
                        InterfaceMetric = $metric
                        AutomaticMetric = $null
                        Dhcp            = $familyDhcp
                        NlMtu           = $mtu
                        ConnectionState = $null
                        RouterDiscovery = $null
                    } | Select-Plain -Property $Props.NetIPInterface
                }
            }
        }
        Invoke-Source -Key 'NetIPAddress' -Command 'Win32_NetworkAdapterConfiguration' -ScriptBlock {
            foreach ($config in $legacy.Configs) {
                $alias = $legacy.AliasByIndex[[int]$config.Index]
                $addresses = @($config.IPAddress)
                $subnets = @($config.IPSubnet)
                for ($i = 0; $i -lt $addresses.Count; $i++) {
                    if ($null -eq $addresses[$i]) { continue }
                    $ip = ([string]$addresses[$i]).Split('%')[0]
                    $subnet = $null
                    if ($i -lt $subnets.Count) { $subnet = [string]$subnets[$i] }
                    $family = 2
                    $prefixOrigin = 1      # Manual
                    $suffixOrigin = 1      # Manual
                    if ($config.DHCPEnabled) { $prefixOrigin = 3; $suffixOrigin = 3 }    # Dhcp
                    if ($ip -like '*:*') {
                        $family = 23
                        $prefixOrigin = $null
                        $suffixOrigin = $null
                        if ($ip -like 'fe80:*') { $prefixOrigin = 2; $suffixOrigin = 4 }  # WellKnown, Link
                    }
                    [pscustomobject]@{
                        InterfaceAlias = $alias
                        InterfaceIndex = $config.InterfaceIndex
                        IPAddress      = $ip
                        PrefixLength   = ConvertTo-PrefixLength -Subnet $subnet
                        AddressFamily  = $family
                        PrefixOrigin   = $prefixOrigin
                        SuffixOrigin   = $suffixOrigin
                        AddressState   = $null
                        SkipAsSource   = $null
                    } | Select-Plain -Property $Props.NetIPAddress
                }
            }
        }
        Invoke-Source -Key 'NetRoute' -Command 'Win32_NetworkAdapterConfiguration' -ScriptBlock {
            foreach ($config in $legacy.Configs) {
                $alias = $legacy.AliasByIndex[[int]$config.Index]
                $gateways = @($config.DefaultIPGateway)
                $costs = @($config.GatewayCostMetric)
                for ($i = 0; $i -lt $gateways.Count; $i++) {
                    if ($null -eq $gateways[$i]) { continue }
                    $hop = [string]$gateways[$i]
                    $cost = $null
                    if ($i -lt $costs.Count) { $cost = $costs[$i] }
                    $family = 2
                    $prefix = '0.0.0.0/0'
                    if ($hop -like '*:*') { $family = 23; $prefix = '::/0' }
                    [pscustomobject]@{
                        InterfaceAlias    = $alias
                        InterfaceIndex    = $config.InterfaceIndex
                        DestinationPrefix = $prefix
                        NextHop           = $hop
                        RouteMetric       = $cost
                        AddressFamily     = $family
                    } | Select-Plain -Property $Props.NetRoute
                }
            }
        }
        if (-not (Test-Command -Name 'Get-DnsClient')) {
            Invoke-Source -Key 'DnsClient' -Command 'Win32_NetworkAdapterConfiguration' -ScriptBlock {
                foreach ($config in $legacy.Configs) {
                    [pscustomobject]@{
                        InterfaceAlias                 = $legacy.AliasByIndex[[int]$config.Index]
                        InterfaceIndex                 = $config.InterfaceIndex
                        ConnectionSpecificSuffix       = $config.DNSDomain
                        RegisterThisConnectionsAddress = $config.FullDNSRegistrationEnabled
                        UseSuffixWhenRegistering       = $config.DomainDNSRegistrationEnabled
                    } | Select-Plain -Property $Props.DnsClient
                }
            }
        }
    }
}

# ---- failover cluster ---------------------------------------------------------------------

$clusterReady = $false
if (-not (Test-Module -Name 'FailoverClusters')) {
    Add-Note 'FailoverClusters module not installed: ClusterNetwork, ClusterNetworkInterface and ClusterParameter not collected'
}
elseif (-not (Test-ServiceRunning -Name 'ClusSvc')) {
    Add-Note 'Cluster service (ClusSvc) not installed or not running: ClusterNetwork, ClusterNetworkInterface and ClusterParameter not collected'
}
else {
    try {
        Import-Module -Name 'FailoverClusters' -ErrorAction Stop -WarningAction SilentlyContinue
        $clusterReady = $true
    }
    catch {
        Add-CollectorError -Command 'Import-Module FailoverClusters' -ErrorRecord $_
    }
}

if ($clusterReady) {
    Invoke-Source -Key 'ClusterNetwork' -Command 'Get-ClusterNetwork' -ScriptBlock {
        Get-ClusterNetwork -ErrorAction Stop | Select-Plain -Property $Props.ClusterNetwork
    }
    Invoke-Source -Key 'ClusterNetworkInterface' -Command 'Get-ClusterNetworkInterface' -ScriptBlock {
        Get-ClusterNetworkInterface -ErrorAction Stop |
            Select-Plain -Property $Props.ClusterNetworkInterface -AsString 'Node', 'Network'
    }
    Invoke-Source -Key 'ClusterParameter' -Command 'Get-ClusterParameter' -ScriptBlock {
        $compat = Get-CompatSession -Module 'FailoverClusters'
        if ($null -ne $compat) {
            # Deserialized cluster objects do not bind to Get-ClusterParameter's pipeline
            # input in PowerShell 7 (PowerShell/PowerShell#15422): run the pipeline where the
            # module really is, and bring back text.
            Invoke-Command -Session $compat -ErrorAction Stop -ArgumentList (, [string[]]$ClusterParameterNames) -ScriptBlock {
                param([string[]]$Names)
                Get-ClusterResourceType -Name 'Virtual Machine' -ErrorAction Stop |
                    Get-ClusterParameter -ErrorAction Stop |
                    Where-Object { $Names -contains $_.Name } |
                    Select-Object -Property @(
                        @{ Name = 'ClusterObject'; Expression = { "$($_.ClusterObject)" } },
                        'Name',
                        'Value',
                        @{ Name = 'Type'; Expression = { "$($_.Type)" } }
                    )
            } | Select-Plain -Property $Props.ClusterParameter -AsString 'ClusterObject', 'Type'
        }
        else {
            Get-ClusterResourceType -Name 'Virtual Machine' -ErrorAction Stop |
                Get-ClusterParameter -ErrorAction Stop |
                Where-Object { $ClusterParameterNames -contains $_.Name } |
                Select-Plain -Property $Props.ClusterParameter -AsString 'ClusterObject', 'Type'
        }
    }
}

# ---- Hyper-V ------------------------------------------------------------------------------

$hyperVReady = $false
if (-not (Test-Module -Name 'Hyper-V')) {
    Add-Note 'Hyper-V module not installed: VMHost, VMMigrationNetwork and VMSwitch not collected'
}
elseif (-not (Test-ServiceRunning -Name 'vmms')) {
    Add-Note 'Hyper-V Virtual Machine Management service (vmms) not installed or not running: VMHost, VMMigrationNetwork and VMSwitch not collected'
}
else {
    try {
        Import-Module -Name 'Hyper-V' -ErrorAction Stop -WarningAction SilentlyContinue
        $hyperVReady = $true
    }
    catch {
        Add-CollectorError -Command 'Import-Module Hyper-V' -ErrorRecord $_
    }
}

if ($hyperVReady) {
    Invoke-Source -Key 'VMHost' -Command 'Get-VMHost' -ScriptBlock {
        Get-VMHost -ErrorAction Stop | Select-Plain -Property $Props.VMHost
    }
    if (Test-Command -Name 'Get-VMMigrationNetwork') {
        Invoke-Source -Key 'VMMigrationNetwork' -Command 'Get-VMMigrationNetwork' -ScriptBlock {
            Get-VMMigrationNetwork -ErrorAction Stop | Select-Plain -Property $Props.VMMigrationNetwork
        }
    }
    Invoke-Source -Key 'VMSwitch' -Command 'Get-VMSwitch' -ScriptBlock {
        Get-VMSwitch -ErrorAction Stop | Select-Plain -Property $Props.VMSwitch
    }
}

# ---- iSCSI initiator ----------------------------------------------------------------------

if (-not (Test-ServiceRunning -Name 'MSiSCSI')) {
    Add-Note 'Microsoft iSCSI Initiator service (MSiSCSI) not running: IscsiSession and IscsiTarget not collected'
}
elseif (Test-Command -Name 'Get-IscsiSession') {
    Invoke-Source -Key 'IscsiSession' -Command 'Get-IscsiSession' -ScriptBlock {
        foreach ($session in @(Get-IscsiSession -ErrorAction Stop)) {
            if ($null -eq $session) { continue }
            $item = $session | Select-Plain -Property $Props.IscsiSession
            $connections = @()
            try {
                $connections = @(
                    Get-IscsiConnection -IscsiSession $session -ErrorAction Stop |
                        Select-Plain -Property $Props.IscsiConnection
                )
            }
            catch {
                if (-not (Test-NotFound -ErrorRecord $_)) {
                    Add-CollectorError -Command 'Get-IscsiConnection' -ErrorRecord $_
                }
            }
            Add-Member -InputObject $item -MemberType NoteProperty -Name 'Connections' -Value $connections
            $item
        }
    }
    Invoke-Source -Key 'IscsiTarget' -Command 'Get-IscsiTarget' -ScriptBlock {
        Get-IscsiTarget -ErrorAction Stop | Select-Plain -Property $Props.IscsiTarget
    }
}
else {
    Add-Note 'Get-IscsiSession not available (Windows Server 2008 R2?): IscsiSession and IscsiTarget read from root\wmi MSIscsiInitiator_SessionClass and MSIscsiInitiator_TargetClass'
    Invoke-Source -Key 'IscsiSession' -Command 'MSIscsiInitiator_SessionClass' -ScriptBlock {
        foreach ($session in @(Get-WmiData -Namespace 'root\wmi' -ClassName 'MSIscsiInitiator_SessionClass')) {
            if ($null -eq $session) { continue }
            $connections = @(
                foreach ($info in @($session.ConnectionInformation)) {
                    if ($null -eq $info) { continue }
                    [pscustomobject]@{
                        ConnectionIdentifier = [string]$info.ConnectionID
                        InitiatorAddress     = $info.InitiatorAddress
                        InitiatorPortNumber  = $info.InitiatorPort
                        TargetAddress        = $info.TargetAddress
                        TargetPortNumber     = $info.TargetPort
                    } | Select-Plain -Property $Props.IscsiConnection
                }
            )
            $target = $session.TargetNodeName
            if (-not $target) { $target = $session.TargetName }
            $item = [pscustomobject]@{
                SessionIdentifier       = [string]$session.SessionId
                TargetNodeAddress       = $target
                InitiatorNodeAddress    = $session.InitiatorName
                InitiatorPortalAddress  = $null
                InitiatorInstanceName   = $null
                InitiatorSideIdentifier = $null
                TargetSideIdentifier    = $null
                NumberOfConnections     = $connections.Count
                IsConnected             = $true
                IsPersistent            = $null
                IsDiscovered            = $null
                IsMultipathEnabled      = $null
                AuthenticationType      = $null
            } | Select-Plain -Property $Props.IscsiSession
            Add-Member -InputObject $item -MemberType NoteProperty -Name 'Connections' -Value $connections
            $item
        }
    }
    Invoke-Source -Key 'IscsiTarget' -Command 'MSIscsiInitiator_TargetClass' -ScriptBlock {
        $connected = @($Result['IscsiSession'] | ForEach-Object { "$($_.TargetNodeAddress)" })
        foreach ($target in @(Get-WmiData -Namespace 'root\wmi' -ClassName 'MSIscsiInitiator_TargetClass')) {
            if ($null -eq $target) { continue }
            [pscustomobject]@{
                NodeAddress = $target.TargetName
                IsConnected = ($connected -contains "$($target.TargetName)")
            } | Select-Plain -Property $Props.IscsiTarget
        }
    }
}

# ---- MPIO ---------------------------------------------------------------------------------

if (Test-Command -Name 'Get-MPIOSetting') {
    Invoke-Source -Key 'MPIOSetting' -Command 'Get-MPIOSetting' -ScriptBlock {
        Get-MPIOSetting -ErrorAction Stop |
            Select-Plain -Property $Props.MPIOSetting -AsString 'PathVerificationState', 'UseCustomPathRecoveryTime'
    }
}
else {
    Add-Note 'MPIO module not installed (Multipath I/O feature?): MPIOSetting not collected'
}

if (Test-Command -Name 'Get-MSDSMGlobalDefaultLoadBalancePolicy') {
    Invoke-Source -Key 'MSDSMGlobalDefaultLoadBalancePolicy' -Command 'Get-MSDSMGlobalDefaultLoadBalancePolicy' -ScriptBlock {
        Get-MSDSMGlobalDefaultLoadBalancePolicy -ErrorAction Stop | ForEach-Object { "$_" }
    }
}
else {
    Add-Note 'MPIO module not installed (Multipath I/O feature?): MSDSMGlobalDefaultLoadBalancePolicy not collected'
}

# ---- binding order (what the cluster used before Windows Server 2016) ---------------------

Invoke-Source -Key 'BindingOrder' -Command 'Tcpip\Linkage' -ScriptBlock {
    $linkage = Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\Tcpip\Linkage' -Name 'Bind' -ErrorAction SilentlyContinue
    if ($null -eq $linkage -or $null -eq $linkage.Bind) {
        Add-Note 'Registry value HKLM:\SYSTEM\CurrentControlSet\Services\Tcpip\Linkage\Bind not present: BindingOrder empty'
        return
    }
    $nameByGuid = @{}
    foreach ($adapter in @($Result['NetAdapter'])) {
        if ($null -ne $adapter -and $adapter.InterfaceGuid) {
            $nameByGuid[([string]$adapter.InterfaceGuid).ToUpperInvariant()] = [string]$adapter.Name
        }
    }
    foreach ($entry in @($linkage.Bind)) {
        if ($null -eq $entry) { continue }
        $guid = $null
        if ([string]$entry -match '\{[0-9A-Fa-f-]{36}\}') { $guid = $Matches[0].ToUpperInvariant() }
        if ($guid -and $nameByGuid.ContainsKey($guid)) { $nameByGuid[$guid] } else { [string]$entry }
    }
}

# ---- IPv6 posture: automatic tunnels, interface IDs, prefix policies, DisabledComponents ----

if (Test-Command -Name 'Get-Net6to4Configuration') {
    Invoke-Source -Key 'Net6to4Configuration' -Command 'Get-Net6to4Configuration' -ScriptBlock {
        Get-Net6to4Configuration -ErrorAction Stop | Select-Plain -Property $Props.Net6to4Configuration
    }
    Invoke-Source -Key 'NetIsatapConfiguration' -Command 'Get-NetIsatapConfiguration' -ScriptBlock {
        Get-NetIsatapConfiguration -ErrorAction Stop | Select-Plain -Property $Props.NetIsatapConfiguration
    }
    Invoke-Source -Key 'NetTeredoConfiguration' -Command 'Get-NetTeredoConfiguration' -ScriptBlock {
        Get-NetTeredoConfiguration -ErrorAction Stop | Select-Plain -Property $Props.NetTeredoConfiguration
    }
}
else {
    Add-Note 'NetworkTransition module not available: 6to4, ISATAP and Teredo configuration not collected'
}

if (Test-Command -Name 'Get-NetIPv6Protocol') {
    Invoke-Source -Key 'NetIPv6Protocol' -Command 'Get-NetIPv6Protocol' -ScriptBlock {
        Get-NetIPv6Protocol -ErrorAction Stop | Select-Plain -Property $Props.NetIPv6Protocol
    }
    Invoke-Source -Key 'NetPrefixPolicy' -Command 'Get-NetPrefixPolicy' -ScriptBlock {
        Get-NetPrefixPolicy -ErrorAction Stop | Select-Plain -Property $Props.NetPrefixPolicy
    }
}

Invoke-Source -Key 'Tcpip6Parameters' -Command 'Tcpip6\Parameters' -ScriptBlock {
    # One object; DisabledComponents $null when the value is absent (every component on).
    # A REG_DWORD reads as an Int32, so 0xffffffff arrives as -1: written as the unsigned value.
    $parameters = Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters' -Name 'DisabledComponents' -ErrorAction SilentlyContinue
    $value = $null
    if ($null -ne $parameters -and $null -ne $parameters.DisabledComponents) {
        $value = [long]$parameters.DisabledComponents
        if ($value -lt 0) { $value += 4294967296 }
    }
    [pscustomobject]@{ DisabledComponents = $value }
}

# ---- events -------------------------------------------------------------------------------

Invoke-Source -Key 'Events' -Command 'Get-WinEvent' -ScriptBlock {
    $since = (Get-Date).AddDays(-$EventDays)
    foreach ($log in $EventLogs) {
        # One log's failure (missing, no access, no events) never costs the others.
        try {
            $listErrors = $null
            if (-not (Get-WinEvent -ListLog $log -ErrorAction SilentlyContinue -ErrorVariable listErrors)) {
                $listError = @($listErrors)[0]
                if ($null -eq $listError -or "$($listError.FullyQualifiedErrorId)" -like 'NoMatchingLogsFound*') {
                    Add-Note ('Event log {0} not present' -f $log)
                }
                else {
                    Add-CollectorError -Command ('Get-WinEvent -ListLog {0}' -f $log) -ErrorRecord $listError
                }
                continue
            }
            $provider = $EventProviders[$log]
            Get-WinEvent -FilterHashtable @{ LogName = $log; Id = $EventIds; StartTime = $since } -ErrorAction Stop |
                Where-Object { -not $provider -or $_.ProviderName -eq $provider } |
                Select-Object -Property @(
                    'Id', 'TimeCreated', 'ProviderName', 'LogName', 'MachineName', 'Level',
                    'LevelDisplayName', 'RecordId', 'Message',
                    @{ Name = 'Properties'; Expression = { , @($_.Properties | ForEach-Object { "$($_.Value)" }) } }
                )
        }
        catch {
            # "No events were found that match the specified selection criteria" is not a failure.
            if ("$($_.FullyQualifiedErrorId)" -notlike 'NoMatchingEventsFound*') {
                Add-CollectorError -Command 'Get-WinEvent' -ErrorRecord $_
            }
        }
    }
}

# ---- write --------------------------------------------------------------------------------

$Result['CollectorErrors'] = @($CollectorErrors)
$Result['Notes'] = @($Notes)

$defaultName = '{0}.dualstack-hyperv.json' -f $env:COMPUTERNAME
if (-not $OutFile) {
    $OutFile = Join-Path -Path '.' -ChildPath $defaultName
}
$path = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile)
if ([System.IO.Directory]::Exists($path)) {
    $path = [System.IO.Path]::Combine($path, $defaultName)
}
$json = ConvertTo-Json -InputObject $Result -Depth 6
[System.IO.File]::WriteAllText($path, $json, (New-Object -TypeName 'System.Text.UTF8Encoding' -ArgumentList $false))

Write-Host ('Wrote {0} ({1} collector error(s), {2} note(s))' -f $path, $CollectorErrors.Count, $Notes.Count)
foreach ($line in $CollectorErrors) {
    Write-Warning $line
}
