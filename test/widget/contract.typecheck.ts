/**
 * Compile-time contract check, run by `npm run typecheck`: the widget's own interface types
 * must accept exactly what the Hono app says it returns. If a route's JSON changes shape, this file
 * stops compiling — long before a parent sees a broken grid. Types only; nothing here runs.
 */
import type { hc, InferRequestType, InferResponseType } from 'hono/client';
import type { AppType } from '../../api/contract/app-type.js';
import type { MultiSlotAvailability, WeeklyGrid } from '../../api/contract/wire.js';
import type {
  CheckRequest,
  PackageView,
  PurchaseRequest,
  TeacherSummary,
  TiersResponse,
} from '../../widget/api-client.js';

type Client = ReturnType<typeof hc<AppType>>;
type Json<E> = InferResponseType<E, 200> | InferResponseType<E, 201>;

type Teachers = Json<Client['marketplace']['teachers']['$get']>;
type Tiers = Json<Client['marketplace']['teachers'][':teacherId']['tiers']['$get']>;
type Grid = Json<Client['marketplace']['teachers'][':teacherId']['weekly-availability']['$get']>;
type Check = Json<Client['packages']['check-multi-slot-availability']['$post']>;
type Purchase = Json<Client['packages']['$post']>;
type Package = Json<Client['packages'][':id']['$get']>;

type CheckBody = InferRequestType<Client['packages']['check-multi-slot-availability']['$post']>['json'];
type PurchaseBody = InferRequestType<Client['packages']['$post']>['json'];

// Server response → widget type (the widget may read less, never more).
export const teachers: { teachers: TeacherSummary[] } = null as unknown as Teachers;
export const tiers: TiersResponse = null as unknown as Tiers;
export const grid: WeeklyGrid = null as unknown as Grid;
export const check: MultiSlotAvailability = null as unknown as Check;
export const purchase: PackageView = null as unknown as Purchase;
export const pkg: PackageView = null as unknown as Package;

// Widget request → server schema (everything the widget sends must be accepted).
export const checkBody: CheckBody = null as unknown as CheckRequest;
export const purchaseBody: PurchaseBody = null as unknown as Omit<PurchaseRequest, never>;
