/**
 * React wrapper of `<smart-pack-grid>` (`import { SmartPackGrid } from 'smart-pack-grid/react'`).
 *
 * `@lit/react` turns the element's properties into typed props (`teacherId`, `patterns`, `client`, …) set
 * as properties, not attributes, and its events into typed `on…` props, so a React app needs neither refs
 * nor casts. Importing this module registers the element.
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import {
  SmartPackChangeEvent,
  SmartPackGrid as SmartPackGridElement,
  SmartPackHoldEvent,
  SmartPackPurchasedEvent,
} from './index.js';

export const SmartPackGrid = createComponent({
  react: React,
  tagName: 'smart-pack-grid',
  elementClass: SmartPackGridElement,
  events: {
    onSmartPackChange: SmartPackChangeEvent.eventName as EventName<SmartPackChangeEvent>,
    onSmartPackPurchased: SmartPackPurchasedEvent.eventName as EventName<SmartPackPurchasedEvent>,
    onSmartPackHold: SmartPackHoldEvent.eventName as EventName<SmartPackHoldEvent>,
  },
  displayName: 'SmartPackGrid',
});
